import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../server/app.js';
import { isLoopbackHost } from '../../../server/auth/keys.js';
import { argumentRoles, fieldRoles } from '../../../server/auth/roles.js';
import type { AppConfig } from '../../../server/config.js';
import { coreVocabulary } from '../../../server/graph/vocabulary.js';
import { appConfig } from '../../support/app-config.js';
import { deadDatabase } from '../../support/dead-database.js';
import { codes, gql } from '../../support/graphql.js';
import { keysForEveryRole, matrixCells, servedRootFields } from '../../support/role-matrix.js';
import { tinySchema } from '../../support/tiny-schema.js';

// Authentication and the access map over HTTP with no Neo4j: the tiny in-memory schema where a
// call must succeed, the product's schema (on a database where nothing listens) where only its
// root fields matter. The role matrix's allowed cells run their resolvers, so they run on Neo4j
// in test/http/auth-allowed.test.ts.
const db = deadDatabase();
const logger = pino({ level: 'silent' });
const { keysFile, keys } = keysForEveryRole();
const apps: App[] = [];
/** An app serving the tiny schema, or with `product` the product's own. */
const appWith = (overrides: Partial<AppConfig>, { product = false } = {}) => {
  const app = createApp({ db, config: appConfig(overrides), logger, vocabulary: coreVocabulary, ...(product ? {} : { schema: tinySchema() }) });
  apps.push(app);
  return app;
};
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

afterAll(async () => {
  for (const app of apps) app.metrics.close();
  await db.close();
});

describe('the local default', () => {
  it('treats loopback addresses as local and nothing else', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'example.com']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('bound to 127.0.0.1 without a keys file: anonymous callers read (and get service by default)', async () => {
    const app = appWith({ host: '127.0.0.1' });
    const res = await gql(app, '{ stats { nodeCount } }');
    expect(res.status).toBe(200);
    expect(res.body.data!.stats.nodeCount).toBeGreaterThanOrEqual(0);
  });

  it('bound to any other address: everything, introspection included, needs a key', async () => {
    const app = appWith({ host: '0.0.0.0' });
    for (const query of ['{ stats { nodeCount } }', '{ __typename }', '{ __schema { queryType { name } } }']) {
      const res = await gql(app, query);
      expect(res.status, query).toBe(401);
      expect(codes(res.body), query).toEqual(['UNAUTHENTICATED']);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    const metrics = await app.fetch('http://localhost/metrics');
    expect(metrics.status).toBe(401);
  });

  it('with a keys file, even on 127.0.0.1, anonymous callers are refused', async () => {
    const app = appWith({ host: '127.0.0.1', apiKeysFile: keysFile });
    expect(codes((await gql(app, '{ stats { nodeCount } }')).body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('keys', () => {
  const app = appWith({ host: '0.0.0.0', apiKeysFile: keysFile });

  it('accepts a valid key and refuses unknown or malformed ones with UNAUTHENTICATED', async () => {
    expect((await gql(app, '{ stats { nodeCount } }', {}, bearer(keys.reader))).status).toBe(200);
    for (const authorization of ['Bearer kg_not-a-real-key', `Basic ${keys.admin}`, keys.admin, 'Bearer']) {
      const res = await gql(app, '{ stats { nodeCount } }', {}, { authorization });
      expect(res.status, authorization).toBe(401);
      expect(codes(res.body)).toEqual(['UNAUTHENTICATED']);
      expect(JSON.stringify(res.body)).not.toContain(keys.admin);
    }
  });

  it('serves /metrics to any valid key', async () => {
    const res = await app.fetch('http://localhost/metrics', { headers: bearer(keys.reader) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('graphql_requests_total');
  });
});

describe('the role matrix over every root field the app serves', async () => {
  const app = appWith({ host: '0.0.0.0', apiKeysFile: keysFile }, { product: true });
  const fields = await servedRootFields(app, bearer(keys.admin));

  it('has an access-map entry for every root field', () => {
    for (const f of fields) expect(fieldRoles[f.key], f.key).toBeDefined();
  });

  it('names only real root fields and arguments in argumentRoles', () => {
    for (const [key, rules] of Object.entries(argumentRoles)) {
      const f = fields.find((x) => x.key === key);
      expect(f, key).toBeDefined();
      for (const r of rules) expect(f!.field.args.map((a) => a.name), `${key}(${r.argument})`).toContain(r.argument);
    }
  });

  // The guard refuses before the field's resolver runs, so these need no database.
  for (const { op, field, role, call, title } of matrixCells(fields).filter((c) => !c.allowed)) {
    it(title, async () => {
      const res = await gql(app, `${op} { ${call} }`, {}, bearer(keys[role]));
      expect(codes(res.body)).toEqual(['FORBIDDEN']);
      expect(res.body.data?.[field.name] ?? null).toBeNull();
    });
  }
});
