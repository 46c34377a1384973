import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../server/app.js';
import { coreVocabulary } from '../../../server/graph/vocabulary.js';
import { appConfig } from '../../support/app-config.js';
import { deadDatabase } from '../../support/dead-database.js';

// Issue 17, finding 8: raw consumer ids reached the logs (variable-coercion errors, database
// errors with the query's values), also in production. Every entry point gets a raw id here,
// at the most verbose level, in development and in production, on the product's schema (its
// database is an address where nothing listens, so every query fails as Neo4j errors do), and
// no log line may carry it.
const db = deadDatabase();
const raw = 'raw-consumer-8812@example.com';
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
const apps: App[] = [];
const appIn = (production: boolean) => {
  const app = createApp({ db, config: appConfig({ production, api: { requestTimeoutMs: 60_000, rateLimitPerMinute: 0 } }), logger: pino({ level: 'trace' }, sink), vocabulary: coreVocabulary });
  apps.push(app);
  return app;
};

afterAll(async () => {
  for (const app of apps) app.metrics.close();
  await db.close();
});

const post = (app: App, body: string, contentType = 'application/json') =>
  app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': contentType, accept: 'application/json' }, body });

describe('finding 8: no raw consumer id in any log line', () => {
  for (const production of [false, true]) {
    it(`sends a raw id through every entry point (${production ? 'production' : 'development'}) and finds it in no log line`, async () => {
      const app = appIn(production);
      const q = (query: string, variables: Record<string, unknown> = {}) => post(app, JSON.stringify({ query, variables }));
      const responses = await Promise.all([
        q('query($id: ID!) { recommendProducts(consumerId: $id) { score } }', { id: raw }),
        q('query($id: ID!) { lookalikes(consumerId: $id) { score } }', { id: raw }),
        q('query($id: ID!) { entity(id: $id, type: Consumer) { key } }', { id: raw }),
        q('query($id: ID!) { entity(id: $id) { key } }', { id: raw }),
        q(`{ neighborhood(id: "${raw}", type: Consumer) { truncated } }`),
        q('query($id: ID!) { paths(from: $id, fromType: Consumer, to: "p1", toType: Product) { strength } }', { id: raw }),
        q('query($id: ID!) { related(id: $id, type: Consumer, targetType: Product) { score } }', { id: raw }),
        q('query($id: ID!) { demandLinks(id: $id, type: Consumer) { support } }', { id: raw }),
        q('query($q: String!) { search(query: $q) { key } }', { q: raw }),
        // Variable coercion: the value is in GraphQL's own error message.
        q('query($n: Int) { search(query: "x", first: $n) { key } }', { n: raw }),
        q('query($t: EntityType) { entity(id: "x", type: $t) { key } }', { t: raw }),
        q('query($id: ID!) { entity(id: $id) { key } }', { id: { raw } }),
        q(`{ entity(id: ${JSON.stringify(raw)}, type: Nope) { key } }`),
        q(`mutation { ingestTriples(triples: [{subject: "${raw}", subjectType: "Consumer", relation: "PURCHASED", object: "p", objectType: "Product"}]) { loaded } }`),
        post(app, `{"query": "{ entity(id: \\"${raw}\\") { key } }", broken`),
        post(app, raw, 'text/plain'),
        app.fetch(`http://localhost/graphql?query=${encodeURIComponent(`{ entity(id: "${raw}") { key } }`)}`, { headers: { accept: 'application/json' } }),
        app.fetch(`http://localhost/${encodeURIComponent(raw)}`),
      ]);
      for (const r of responses) await r.text();
      const all = lines.join("");
      expect(all.length).toBeGreaterThan(0);
      expect(all).not.toContain(raw);
      expect(all).not.toContain(encodeURIComponent(raw));
    });
  }
});

describe('scrubLogText', () => {
  it('keeps variable names and words, drops quoted literals and the source excerpt', async () => {
    const { scrubLogText } = await import('../../../server/core/log-scrub.js');
    expect(scrubLogText('Variable "$id" got invalid value "u1"; Int cannot represent: "u1"\n\nGraphQL request:1:7\n1 | query { x(id: "u1") }')).toBe(
      'Variable "$id" got invalid value "…"; Int cannot represent: "…"',
    );
    expect(scrubLogText("Node(1) already exists with label `Consumer` and property `id` = 'u1'")).toBe("Node(1) already exists with label `Consumer` and property `id` = '…'");
  });
});
