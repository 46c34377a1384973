import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { codes, gql } from '../support/graphql.js';
import { testConfig, testDatabase } from '../support/neo4j.js';
import { keysForEveryRole, matrixCells, servedRootFields } from '../support/role-matrix.js';

// The allowed cells of the role matrix (the refused ones and the access-map checks run without
// a database in test/unit/http/auth.test.ts): each call passes the guard and runs its field's
// resolver, which queries Neo4j.
const db = testDatabase();
const { keysFile, keys } = keysForEveryRole();
const app = createApp({ db, config: testConfig({ host: '0.0.0.0', apiKeysFile: keysFile }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

afterAll(async () => {
  app.metrics.close();
  await db.close();
});

describe('the role matrix over every root field the app serves', async () => {
  const fields = await servedRootFields(app, bearer(keys.admin));
  for (const { op, role, call, title } of matrixCells(fields).filter((c) => c.allowed)) {
    it(title, async () => {
      const res = await gql(app, `${op} { ${call} }`, {}, bearer(keys[role]));
      const got = codes(res.body);
      expect(got).not.toContain('FORBIDDEN');
      expect(got).not.toContain('UNAUTHENTICATED');
    });
  }
});
