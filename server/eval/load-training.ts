import type { Database } from '../db/neo4j.js';
import { storedEntityId } from '../privacy/pseudonym.js';
import { allowListed, ENTITY_LABEL, type Vocabulary } from '../schema/vocabulary.js';
import { readDataFiles } from './triples.js';

/** Unix seconds from an ISO-8601 string or a number of seconds; null when absent or bad. */
function seconds(value: string | undefined): number | null {
  if (!value) return null;
  const n = Number(value);
  if (Number.isFinite(n)) return n;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

interface Aggregated {
  s: string;
  o: string;
  w: number;
  c: number;
  f: number | null;
  l: number | null;
}

/**
 * Loads triple and entity files into the evaluation's own database as docs/DATA-MODEL.md
 * stores them (pseudonymised consumers, one relationship per triple with weight sum, count,
 * first/last timestamp). This is the one step to switch to the real loader
 * (server/ingest, `npm run load`) once it is in main; it returns the rows it skipped.
 */
export async function loadTrainingFiles(db: Database, vocabulary: Vocabulary, secret: string, paths: string[], log: (line: string) => void): Promise<number> {
  const { triples, entities } = readDataFiles(paths);
  const types = vocabulary.entityTypes;
  const relations = vocabulary.relations.map((r) => r.name);
  let skipped = 0;
  const groups = new Map<string, Map<string, Aggregated>>();
  for (const t of triples) {
    const def = vocabulary.relations.find((r) => r.name === t.relation);
    const weight = t.weight === undefined || t.weight === '' ? 1 : Number(t.weight);
    if (!def || !def.from.includes(t.subject_type) || !def.to.includes(t.object_type) || !t.subject || !t.object || !Number.isFinite(weight)) {
      skipped++;
      continue;
    }
    const s = storedEntityId(secret, t.subject_type, t.subject);
    const o = storedEntityId(secret, t.object_type, t.object);
    const group = `${t.subject_type}|${t.relation}|${t.object_type}`;
    const map = groups.get(group) ?? groups.set(group, new Map()).get(group)!;
    const ts = seconds(t.timestamp);
    const key = `${s}\u0000${o}`;
    const a = map.get(key);
    if (a) {
      a.w += weight;
      a.c += 1;
      if (ts !== null) {
        a.f = a.f === null ? ts : Math.min(a.f, ts);
        a.l = a.l === null ? ts : Math.max(a.l, ts);
      }
    } else map.set(key, { s, o, w: weight, c: 1, f: ts, l: ts });
  }
  const batch = 5000;
  for (const type of types) {
    const rows = entities
      .filter((e) => e.type === type && e.id)
      .map((e) => ({ id: storedEntityId(secret, type, e.id!), name: type === 'Consumer' ? storedEntityId(secret, type, e.id!) : e.name || e.id, nameEn: e.name_en ?? null }));
    const label = allowListed(type, types);
    for (let i = 0; i < rows.length; i += batch) {
      await db.write(
        'eval-load-entities',
        `UNWIND $rows AS r MERGE (n:${ENTITY_LABEL}:${label} {id: r.id}) SET n.key = $type + ':' + r.id, n.name = r.name, n.name_en = r.nameEn`,
        { rows: rows.slice(i, i + batch), type },
      );
    }
  }
  for (const [group, map] of groups) {
    const [st, rel, ot] = group.split('|') as [string, string, string];
    const rows = [...map.values()];
    const cypher = `UNWIND $rows AS r
      MERGE (a:${ENTITY_LABEL}:${allowListed(st, types)} {id: r.s}) ON CREATE SET a.key = $st + ':' + r.s, a.name = r.s
      MERGE (b:${ENTITY_LABEL}:${allowListed(ot, types)} {id: r.o}) ON CREATE SET b.key = $ot + ':' + r.o, b.name = r.o
      MERGE (a)-[x:${allowListed(rel, relations)}]->(b)
      SET x.weight = toFloat(r.w), x.count = r.c, x.firstTs = r.f, x.lastTs = r.l`;
    for (let i = 0; i < rows.length; i += batch) {
      await db.write('eval-load-triples', cypher, { rows: rows.slice(i, i + batch), st, ot });
    }
    log(`loaded ${rows.length} ${rel} relationships`);
  }
  return skipped;
}
