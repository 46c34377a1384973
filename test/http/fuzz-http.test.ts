import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testConfig, testDatabase } from '../support/neo4j.js';

// Issue 17's "done when": 10,000 requests of every shape (GraphQL over every root field with
// random arguments, wrongly typed variables, other methods, content types, bodies, paths and
// headers) against the app on the test Neo4j: no answer is 5xx and every error carries a code.
// Rate limits are lifted so the requests reach the fields instead of stopping at 429.
const db = testDatabase(60_000);
const app = createApp({
  db,
  config: testConfig({ api: { rateLimitPerMinute: 1_000_000, anonymousRateLimitPerMinute: 1_000_000, requestTimeoutMs: 60_000 } }),
  logger: pino({ level: 'silent' }),
  vocabulary: coreVocabulary,
});
const coded = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'QUERY_TOO_COMPLEX', 'DATABASE_UNAVAILABLE', 'TIMEOUT', 'RATE_LIMITED']);

afterAll(async () => {
  app.metrics.close();
  await db.close();
});

// Seeded, so a failure names the seed and replays exactly.
const seed = Number(process.env.FUZZ_SEED ?? 20261203);
const rng = xoroshiro128plus(seed);
const int = (a: number, b: number) => uniformInt(rng, a, b);
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
const pieces = ['露营', '咖啡', 'camping', 'SUV', '~', '*', '?', ':', '"', '\\', '(', ')', '{', '}', 'AND', 'OR', '-', '+', '!', '^', '/', ' ', '\u0000', '\uD83D\uDE00', "'", '`', 'MATCH (n) DETACH DELETE n', 'Consumer:', 'Product:', 'Interest:', 'Segment:1', '%', '\n', 'é'];
const text = () => Array.from({ length: int(0, 10) }, () => pick(pieces)).join('');
const id = () => pick([text(), 'u000007', 'camping', 'Interest:camping', 'Product:p001', 'Consumer:c_x', `c_${'a'.repeat(22)}`, '', 'x'.repeat(int(1, 3000))]);
const num = () => pick([int(-5, 5), int(-1_000_000, 1_000_000), 0, 1, 3, 6, 7, 10, 50, 51, 100, 101, 500, 501, 2_147_483_647, -2_147_483_648]);
const float = () => pick([0, 0.3, 1, 1.5, -0.1, 1e9, Number.MIN_VALUE]);
const type = () => pick([null, 'Consumer', 'Product', 'Interest']);
const time = () => pick([null, '2024-01-01', '2024-06-01T00:00:00Z', '1700000000', '99999999999999999999', 'yesterday', '', '-1']);
const period = () => (int(0, 2) === 0 ? null : { from: time() ?? '2024-01-01', to: time() ?? '2024-02-01' });
const list = <T>(f: () => T) => (int(0, 3) === 0 ? null : Array.from({ length: int(0, 6) }, f));
const relation = () => pick(['PURCHASED', 'VIEWED', 'INTERESTED_IN', 'RELATES_TO', 'SUBTOPIC_OF', 'FOLLOWS', 'SIMILAR_TO', 'NOPE', '', text()]);

const E = 'key id type name';
const R = `entity { ${E} } score reasons { share text path { strength relations nodes { key } } }`;
/** One GraphQL operation over a root field, with variables of the declared types. */
const operations: (() => { query: string; variables: Record<string, unknown> })[] = [
  () => ({ query: `query($id: ID!, $t: EntityType) { entity(id: $id, type: $t) { ${E} } }`, variables: { id: id(), t: type() } }),
  () => ({ query: `query($q: String!, $t: [EntityType!], $f: Int) { search(query: $q, types: $t, first: $f) { ${E} } }`, variables: { q: text(), t: list(() => pick(['Consumer', 'Product', 'Interest'])), f: num() } }),
  () => ({ query: `query($id: ID!, $t: EntityType, $d: Int, $r: [String!], $l: Int) { neighborhood(id: $id, type: $t, depth: $d, relations: $r, limit: $l) { nodes { key } edges { source target relation weight } truncated } }`, variables: { id: id(), t: type(), d: num(), r: list(relation), l: num() } }),
  () => ({ query: `query($c: ID!, $f: Int, $x: Float) { recommendProducts(consumerId: $c, first: $f, exploration: $x) { ${R} } }`, variables: { c: id(), f: num(), x: float() } }),
  () => ({ query: `query($id: ID!, $t: EntityType, $tt: EntityType!, $f: Int, $x: Float) { related(id: $id, type: $t, targetType: $tt, first: $f, exploration: $x) { ${R} } }`, variables: { id: id(), t: type(), tt: type() ?? 'Product', f: num(), x: float() } }),
  () => ({ query: `query($c: ID!, $f: Int) { lookalikes(consumerId: $c, first: $f) { ${R} } }`, variables: { c: id(), f: num() } }),
  () => ({ query: `query($id: ID!, $t: EntityType, $tt: EntityType, $f: Int) { demandLinks(id: $id, type: $t, targetType: $tt, first: $f) { entity { key } support confidence lift } }`, variables: { id: id(), t: type(), tt: type(), f: num() } }),
  () => ({ query: `query($a: ID!, $at: EntityType, $b: ID!, $bt: EntityType, $m: Int, $f: Int) { paths(from: $a, fromType: $at, to: $b, toType: $bt, maxLength: $m, first: $f) { nodes { key } relations strength } }`, variables: { a: id(), at: type(), b: id(), bt: type(), m: num(), f: num() } }),
  () => ({ query: `query($f: Int, $m: Int) { productOpportunities(first: $f, minConsumers: $m) { interests { key } consumers lift gapScore closestProducts { key } } }`, variables: { f: num(), m: num() } }),
  () => ({ query: '{ stats { nodeCount relationshipCount byType { name count } byRelation { name count } } }', variables: {} }),
  () => ({ query: `query($f: Int, $b: PeriodInput, $a: PeriodInput) { risingInterests(first: $f, before: $b, after: $a) { suppressed } }`, variables: { f: num(), b: period(), a: period() } }),
  () => ({ query: `query($id: ID!, $t: EntityType, $b: PeriodInput, $a: PeriodInput) { trend(id: $id, type: $t, before: $b, after: $a) { growth before { from to support } } }`, variables: { id: id(), t: type(), b: period(), a: period() } }),
  () => ({ query: `query($k: [String!]!) { segmentOf(keys: $k) { key segment } }`, variables: { k: list(id) ?? [] } }),
  () => ({ query: `mutation($t: [TripleInput!]!) { ingestTriples(triples: $t) { read loaded rejected errors } }`, variables: { t: [{ subject: id(), subjectType: 'Consumer', relation: relation(), object: id(), objectType: 'Product', weight: float() }] } }),
  // Wrongly typed or missing variables, unknown fields, syntax errors: GraphQL's own answers, coded.
  () => ({ query: 'query($f: Int) { search(query: "x", first: $f) { key } }', variables: { f: pick(['ten', 1.5, true, [], {}, 1e20, null]) } }),
  () => ({ query: pick(['{ nope }', '{ search }', 'query { entity(id: 1) { key', '{ __schema { types { name } } }', `{ ${Array.from({ length: 12 }, (_, i) => `a${i}: stats { nodeCount }`).join(' ')} }`, '{ a { b { c { d { e { f { g { h { i } } } } } } } } }', 'subscription { x }', text()]), variables: {} }),
];

const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const paths = ['/graphql', '/graphql?query=%7Bstats%7BnodeCount%7D%7D', '/graphql?query=' + encodeURIComponent('{ search(query:"camping") { key } }'), '/health', '/metrics', '/', '/index.html', '/assets/none.js', '/%E0%A4%A', '/..%2f..%2fetc/passwd', '/graphql/extra', `/${text()}`, '/' + 'a'.repeat(int(1, 5000))];
const contentTypes = [null, 'application/json', 'application/graphql-response+json', 'application/graphql', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', text()];
const bodies = () => pick([JSON.stringify(pick(operations)()), '{', '[]', '[{"query":"{ stats { nodeCount } }"},{"query":"{ stats { nodeCount } }"}]', 'null', '"x"', '{"query": 5}', '{"query":"{ stats { nodeCount } }","variables":"x"}', '{"query":"{ stats { nodeCount } }","extensions":[1]}', text(), '\u0000\u0001\u0002', 'query=%7Bstats%7D']);
const headerSets = (): Record<string, string> => pick<Record<string, string>>([{}, { authorization: 'Bearer nope' }, { authorization: 'Basic eDp5' }, { origin: 'https://evil.example' }, { origin: 'null' }, { host: 'evil.example' }, { 'x-forwarded-for': '1.2.3.4, 5.6.7.8' }, { accept: 'text/html' }, { accept: 'application/graphql-response+json' }]);

/** One request: mostly well-formed GraphQL, else any method, path, body and headers. */
function nextRequest(): { url: string; init: RequestInit } {
  if (int(0, 9) < 6) {
    return { url: 'http://localhost/graphql', init: { method: 'POST', headers: { 'content-type': 'application/json', ...headerSets() }, body: JSON.stringify(pick(operations)()) } };
  }
  const method = pick(methods);
  const ct = pick(contentTypes);
  const headers: Record<string, string> = { ...headerSets(), ...(ct ? { 'content-type': ct } : {}) };
  const body = method === 'GET' || method === 'HEAD' ? undefined : bodies();
  return { url: `http://localhost${pick(paths)}`, init: { method, headers, body } };
}

describe('fuzzing the whole HTTP surface', () => {
  it(`answers 10,000 requests of every shape without a 5xx, every error coded (seed ${seed})`, { timeout: 900_000 }, async () => {
    const requests = Array.from({ length: 10_000 }, nextRequest);
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length && failures.length < 5) {
        const { url, init } = requests[next++]!;
        const res = await app.fetch(url, init);
        const text = await res.text();
        const what = `${init.method} ${url.slice(0, 120)} ${String(init.body ?? '').slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`;
        if (res.status >= 500) failures.push(what);
        if (!(res.headers.get('content-type') ?? '').includes('json') || !text) continue;
        let parsed: { errors?: { extensions?: { code?: string } }[] };
        try {
          parsed = JSON.parse(text);
        } catch {
          failures.push(`unparsable JSON: ${what}`);
          continue;
        }
        for (const e of parsed.errors ?? []) if (!coded.has(String(e.extensions?.code))) failures.push(`uncoded error: ${what}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(failures).toEqual([]);
    expect(next).toBe(requests.length);
  });
});
