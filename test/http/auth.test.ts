import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { addKey, isLoopbackHost } from '../../server/auth/keys.js';
import { argumentRoles, fieldRoles, roleAllows, type Role } from '../../server/auth/roles.js';
import type { AppConfig } from '../../server/config.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { codes, gql } from '../support/graphql.js';
import { testConfig, testDatabase } from '../support/neo4j.js';

const db = testDatabase();
const logger = pino({ level: 'silent' });
const keysFile = join(mkdtempSync(join(tmpdir(), 'kg-keys-')), 'api-keys.json');
const keys = {
  reader: addKey(keysFile, 'dashboard', 'reader'),
  service: addKey(keysFile, 'shop', 'service'),
  admin: addKey(keysFile, 'ops', 'admin'),
} satisfies Record<Role, string>;
const apps: App[] = [];
const appWith = (overrides: Partial<AppConfig>) => {
  const app = createApp({ db, config: testConfig(overrides), logger, vocabulary: coreVocabulary });
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

/** A call of `field` with every required argument given a harmless value of its type. */
function callOf(field: IntroField): string {
  const value = (t: IntroType): string => {
    if (t.kind === 'NON_NULL') return value(t.ofType!);
    if (t.kind === 'LIST') return '[]';
    if (t.kind === 'ENUM') return t.enumValues![0]!.name;
    if (t.name === 'Int') return '1';
    if (t.name === 'Float') return '0.5';
    if (t.name === 'Boolean') return 'false';
    return '"x"';
  };
  const required = field.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
  const args = required.length ? `(${required.map((a) => `${a.name}: ${value(a.type)}`).join(', ')})` : '';
  let t = field.type;
  while (t.ofType) t = t.ofType;
  return `${field.name}${args}${t.kind === 'OBJECT' || t.kind === 'INTERFACE' || t.kind === 'UNION' ? ' { __typename }' : ''}`;
}
interface IntroType {
  kind: string;
  name: string | null;
  ofType: IntroType | null;
  enumValues?: { name: string }[] | null;
}
interface IntroField {
  name: string;
  args: { name: string; defaultValue: string | null; type: IntroType }[];
  type: IntroType;
}
const typeRef = 'kind name enumValues { name } ofType { kind name enumValues { name } ofType { kind name enumValues { name } ofType { kind name } } }';

describe('the role matrix over every root field the app serves', async () => {
  const app = appWith({ host: '0.0.0.0', apiKeysFile: keysFile });
  const intro = await gql(
    app,
    `{ __schema { queryType { fields { name args { name defaultValue type { ${typeRef} } } type { ${typeRef} } } }
                   mutationType { fields { name args { name defaultValue type { ${typeRef} } } type { ${typeRef} } } } } }`,
    {},
    bearer(keys.admin),
  );
  const schema = intro.body.data!.__schema as { queryType: { fields: IntroField[] }; mutationType: { fields: IntroField[] } | null };
  const fields = [
    ...schema.queryType.fields.map((f) => ({ op: 'query', key: `Query.${f.name}`, field: f })),
    ...(schema.mutationType?.fields ?? []).map((f) => ({ op: 'mutation', key: `Mutation.${f.name}`, field: f })),
  ];

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

  for (const { op, key, field } of fields) {
    const call = callOf(field);
    // An argument value with a stricter role (argumentRoles) that the generated call uses counts too.
    const rules = (argumentRoles[key] ?? []).filter((r) => call.includes(`${r.argument}: ${r.value}`));
    for (const role of ['reader', 'service', 'admin'] as Role[]) {
      const fieldNeed = fieldRoles[key];
      const need = fieldNeed && rules.reduce<Role>((n, r) => (roleAllows(n, r.role) ? n : r.role), fieldNeed);
      it(`${key}${rules.length ? ` (${rules.map((r) => `${r.argument}: ${r.value}`).join(', ')})` : ''} as ${role}: ${need && roleAllows(role, need) ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const res = await gql(app, `${op} { ${call} }`, {}, bearer(keys[role]));
        const got = codes(res.body);
        if (need && roleAllows(role, need)) {
          expect(got).not.toContain('FORBIDDEN');
          expect(got).not.toContain('UNAUTHENTICATED');
        } else {
          expect(got).toEqual(['FORBIDDEN']);
          expect(res.body.data?.[field.name] ?? null).toBeNull();
        }
      });
    }
  }
});
