import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Database } from '../../server/db/neo4j.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';

/** The pseudonym secret the ingest tests load with. */
export const TEST_SECRET = 'test-secret-test-secret-test-secret';
export const fixturesDir = join(import.meta.dirname, '..', 'fixtures', 'ingest');

/**
 * Test data in a namespace: fixture copies with `fx_` ids renamed to `<ns>_` and file names
 * prefixed with the namespace (so sources are unique), plus the pseudonyms of every consumer id
 * used, so cleanup and comparisons can find consumers.
 */
export class IngestNamespace {
  readonly root: string;
  /** pseudonym → raw consumer id (with the namespace). */
  readonly consumers = new Map<string, string>();

  constructor(readonly ns: string) {
    this.root = mkdtempSync(join(tmpdir(), `${ns}-`));
  }

  private note(text: string) {
    for (const id of text.match(new RegExp(`${this.ns}_c\\d+`, 'g')) ?? []) this.consumers.set(pseudonymize(TEST_SECRET, id), id);
  }

  /** Copies a fixture file or folder into the namespace; returns the copy's path. */
  stage(fixture: string, into = ''): string {
    const src = join(fixturesDir, fixture);
    const destDir = join(this.root, into);
    mkdirSync(destDir, { recursive: true });
    if (statSync(src).isDirectory()) {
      const dir = join(destDir, basename(src));
      mkdirSync(dir, { recursive: true });
      for (const f of readdirSync(src)) this.stage(join(fixture, f), join(into, basename(src)));
      return dir;
    }
    const gz = src.endsWith('.gz');
    const raw = readFileSync(src);
    const content = gz ? gunzipSync(raw) : raw;
    const renamed = Buffer.from(content.toString('latin1').replaceAll('fx_', `${this.ns}_`), 'latin1');
    this.note(renamed.toString('utf8'));
    const dest = join(destDir, `${this.ns}-${basename(src)}`);
    writeFileSync(dest, gz ? gzipSync(renamed) : renamed);
    return dest;
  }

  /** Writes a file (text with `fx_` ids) into the namespace under `name`. */
  write(name: string, text: string): string {
    const renamed = text.replaceAll('fx_', `${this.ns}_`);
    this.note(renamed);
    const dest = join(this.root, name);
    writeFileSync(dest, renamed);
    return dest;
  }

  /** Registers raw consumer ids created by other means (e.g. through the API). */
  noteConsumers(ids: string[]) {
    for (const id of ids) this.consumers.set(pseudonymize(TEST_SECRET, id), id);
  }

  private ids() {
    return { ns: this.ns, ps: [...this.consumers.keys()] };
  }

  /** Removes everything this namespace created. */
  async cleanup(db: Database) {
    await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns OR n.id IN $ps DETACH DELETE n', this.ids());
    await db.write('test-cleanup', "MATCH (m:KgMeta) WHERE m.key STARTS WITH 'source:' AND m.key CONTAINS $ns DELETE m", this.ids());
  }

  /** Readable id: consumers back to raw ids, the namespace replaced by `NS`. */
  private readable(id: string) {
    const key = /^Consumer:(.*)$/.exec(id);
    const raw = key ? `Consumer:${this.consumers.get(key[1]!) ?? key[1]}` : (this.consumers.get(id) ?? id);
    return raw.replaceAll(this.ns, 'NS');
  }

  /** The namespace's graph without bookkeeping, in a form comparable across namespaces. */
  async signature(db: Database) {
    const nodes = await db.read(
      'test-signature',
      'MATCH (n:Entity) WHERE n.id STARTS WITH $ns OR n.id IN $ps RETURN labels(n) AS labels, properties(n) AS props',
      this.ids(),
    );
    const edges = await db.read(
      'test-signature',
      // Loaded relations only: derived relationships (names starting with "_") are not the load's.
      `MATCH (a:Entity)-[r]->(b:Entity) WHERE (a.id STARTS WITH $ns OR a.id IN $ps) AND (b.id STARTS WITH $ns OR b.id IN $ps)
         AND NOT type(r) STARTS WITH '_'
       RETURN a.id AS a, type(r) AS rel, b.id AS b, r.weight AS weight, r.count AS count, r.firstTs AS firstTs, r.lastTs AS lastTs`,
      this.ids(),
    );
    const nodeList = nodes
      .map((n) => {
        const props = Object.fromEntries(
          Object.entries(n.props as Record<string, unknown>)
            .filter(([k]) => !k.startsWith('_'))
            .map(([k, v]) => [k, typeof v === 'string' ? this.readable(v) : v]),
        );
        return { labels: [...(n.labels as string[])].sort(), ...props } as Record<string, unknown>;
      })
      .sort((x, y) => String(x.key).localeCompare(String(y.key)));
    const edgeList = edges
      .map((e) => ({ ...e, a: this.readable(String(e.a)), b: this.readable(String(e.b)), rel: String(e.rel) }) as Record<string, unknown> & { a: string; b: string; rel: string })
      .sort((x, y) => `${x.a} ${x.rel} ${x.b}`.localeCompare(`${y.a} ${y.rel} ${y.b}`));
    return { nodes: nodeList, edges: edgeList };
  }

  /** One relationship by raw ids (consumer ids are pseudonymised here). */
  async edge(db: Database, a: string, aType: string, rel: string, b: string, bType: string) {
    const id = (raw: string, type: string) => {
      const full = raw.replaceAll('fx_', `${this.ns}_`);
      return type === 'Consumer' ? pseudonymize(TEST_SECRET, full) : full;
    };
    const rows = await db.read(
      'test-edge',
      'MATCH (a:Entity {key: $a})-[r]->(b:Entity {key: $b}) WHERE type(r) = $rel RETURN properties(r) AS r',
      { a: `${aType}:${id(a, aType)}`, b: `${bType}:${id(b, bType)}`, rel },
    );
    return rows[0]?.r as Record<string, unknown> | undefined;
  }

  /** One node by raw id. */
  async node(db: Database, type: string, raw: string) {
    const full = raw.replaceAll('fx_', `${this.ns}_`);
    const id = type === 'Consumer' ? pseudonymize(TEST_SECRET, full) : full;
    const rows = await db.read('test-node', 'MATCH (n:Entity {key: $key}) RETURN properties(n) AS n, labels(n) AS labels', { key: `${type}:${id}` });
    return rows[0] as { n: Record<string, unknown>; labels: string[] } | undefined;
  }
}
