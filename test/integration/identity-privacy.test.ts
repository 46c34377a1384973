import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadFiles } from '../../server/ingest/load.js';
import { runIdentity } from '../../server/identity/precompute.js';
import { personId } from '../../server/identity/identity.js';
import { coreVocabulary, type Vocabulary } from '../../server/graph/vocabulary.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { codes, gql } from '../support/graphql.js';
import { IngestNamespace, TEST_SECRET } from '../support/ingest-fixtures.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';
import { keysForEveryRole } from '../support/role-matrix.js';

/*
 * No raw identifier (phone, email) and no raw consumer id reaches Neo4j, a log line or the
 * rejects file after a load with identifier columns; identity() answers counts only, to the
 * service role. Runs the identity step (graph-wide): db-sequential.
 */
const db = testDatabase(120_000);
const ns = testNamespace('idpriv');
const space = new IngestNamespace(ns);
const vocabulary: Vocabulary = { ...coreVocabulary, consumerIdentifiers: ['phone', 'email', 'openid'] };
const { keysFile, keys } = keysForEveryRole();
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
const app = createApp({ db, config: testConfig({ pseudonymSecret: TEST_SECRET, host: '0.0.0.0', apiKeysFile: keysFile }), logger: pino({ level: 'trace' }, sink), vocabulary });
const digits = [...ns.slice(-8)].map((ch) => (parseInt(ch, 16) % 10).toString()).join('');
const phone = `+86 137 ${digits.slice(0, 4)} ${digits.slice(4)}`;
const email = `Wang.${ns}@Example.com`;
const openid = `oWx_${ns}_777`;
const raw = (n: number) => `${ns}_member${n}`;

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (c:Consumer)-[:HAS_IDENTIFIER]->(i:KgIdentifier) WHERE c.id IN $ps DETACH DELETE i', { ps: [...space.consumers.keys()] });
  await space.cleanup(db);
  await db.close();
  app.metrics.close();
});

/** How many property values (of nodes, then relationships; list elements one by one) contain any of `needles`. */
async function occurrences(needles: string[]): Promise<number> {
  const scan = (what: string) => `
MATCH ${what}
UNWIND keys(x) AS k
WITH x[k] AS v
UNWIND CASE WHEN v IS :: LIST<ANY> THEN v ELSE [v] END AS item
WITH toString(item) AS s WHERE any(n IN $needles WHERE s CONTAINS n)
RETURN count(*) AS n`;
  const [a] = await db.read('test-scan-nodes', scan('(x)'), { needles }, { timeoutMs: 300_000 });
  const [b] = await db.read('test-scan-rels', scan('()-[x]->()'), { needles }, { timeoutMs: 300_000 });
  return Number(a!.n) + Number(b!.n);
}

describe('identifier columns and raw ids', () => {
  it('leave no raw value in Neo4j, the loader log, the API log or the rejects file; identity() counts ids per source', async () => {
    const dir = space.root;
    const consumers = space.write(
      `${ns}-crm.csv`,
      [
        'id,type,name,phone,email,openid,segment,source',
        `${raw(1)},Consumer,Wang Wei,${phone},${email},,vip,crm`,
        `${raw(2)},Consumer,Wang W.,${phone.replace(/ /g, '-')},,${openid},,loyalty`,
        `${raw(3)},Consumer,Wei,,${email.toUpperCase()},,,scrm`,
        // Rejected rows that carry identifiers: an unknown type, and invalid UTF-8 in the name.
        `${raw(4)},Consumr,X,${phone},${email},,,crm`,
      ].join('\n') + '\n',
    );
    const bad = Buffer.concat([Buffer.from(`${raw(5)},Consumer,`), Buffer.from([0xff, 0xfe]), Buffer.from(`,${phone},${email},${openid},,crm\n`)]);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(consumers, bad);
    space.write(`${ns}-links.csv`, `subject,subject_type,relation,object,object_type,source\n${raw(3)},Consumer,SAME_AS,${raw(6)},Consumer,web\n${raw(1)},Consumer,PURCHASED,${ns}_lamp,Product,crm\n`);
    space.noteConsumers([1, 2, 3, 4, 5, 6].map(raw));
    const loadLog: string[] = [];
    const rejectsFile = `${dir}/rejects.csv`;
    const summary = await loadFiles(db, vocabulary, [dir], { pseudonymSecret: TEST_SECRET, rejectsFile, log: (l) => loadLog.push(l), onProgress: (p) => loadLog.push(JSON.stringify(p)) });
    expect(summary.rejected).toBe(2);
    await runIdentity(db, vocabulary);

    const service = { authorization: `Bearer ${keys.service}` };
    const reader = { authorization: `Bearer ${keys.reader}` };
    const q = 'query($id: ID!) { identity(consumerId: $id) { person ids sources { source ids } crowdedIdentifiers } }';
    const ps = [1, 2, 3, 6].map((n) => pseudonymize(TEST_SECRET, raw(n)));
    const person = personId([...ps].sort()[0]!);
    for (const id of [raw(2), ps[0]!]) {
      const res = await gql(app, q, { id }, service);
      expect(res.body.errors).toBeUndefined();
      const identity = res.body.data!.identity;
      expect(identity).toMatchObject({ person, ids: 4, crowdedIdentifiers: 0 });
      const sources = Object.fromEntries((identity.sources as { source: string; ids: number }[]).map((s) => [s.source.split('@')[0], s.ids]));
      // crm: 1 (its identifier links and purchase); loyalty: 2; scrm: 3; web: 3 and 6 (the SAME_AS row).
      expect(sources).toEqual({ crm: 1, loyalty: 1, scrm: 1, web: 2 });
      const text = JSON.stringify(res.body);
      for (const n of [1, 2, 3, 6]) expect(text).not.toContain(ps[n === 6 ? 3 : n - 1]!);
    }
    expect((await gql(app, q, { id: `${ns}_nobody` }, service)).body.data!.identity).toBeNull();
    expect(codes((await gql(app, q, { id: raw(1) }, reader)).body)).toEqual(['FORBIDDEN']);
    const entity = await gql(app, 'query($id: ID!, $p: ID!) { entity(id: $id, type: Consumer) { person personIds properties } p: entity(id: $p, type: Product) { person personIds } }', { id: raw(6), p: `${ns}_lamp` }, service);
    expect(entity.body.errors).toBeUndefined();
    expect(entity.body.data).toEqual({ entity: { person, personIds: 4, properties: null }, p: { person: null, personIds: null } });

    // The scan finds what is there (the product's id), and none of the raw values.
    expect(await occurrences([`${ns}_lamp`])).toBeGreaterThan(0);
    const needles = [phone, phone.replace(/\D/g, ''), digits, email, email.toLowerCase(), openid, ...[1, 2, 3, 4, 5, 6].map(raw), 'Wang'];
    expect(await occurrences(needles)).toBe(0);
    const rejects = readFileSync(rejectsFile, 'utf8');
    expect(rejects.split('\n').filter(Boolean)).toHaveLength(3);
    const logs = [lines.join(''), loadLog.join('\n'), rejects];
    expect(lines.length).toBeGreaterThan(0);
    for (const text of logs) for (const needle of needles.filter((n) => n !== 'Wang')) expect(text).not.toContain(needle);
  }, 300_000);
});
