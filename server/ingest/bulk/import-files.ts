import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { IDENTIFIER_LABEL } from '../../graph/schema-statements.js';
import { ENTITY_LABEL } from '../../graph/vocabulary.js';
import { totals, type BulkGraph } from './bulk-graph.js';

/** One CSV file for the importer: `--nodes=LABELS=path` or `--relationships=TYPE=path`. */
export interface ImportFile {
  kind: 'nodes' | 'relationships';
  /** `Consumer:Entity` for nodes, the relationship type for relationships. */
  what: string;
  path: string;
  /** A value has a line break: the importer must read this file with multi-line fields. */
  multiline: boolean;
  rows: number;
}

/**
 * Separates the elements of array properties (the per-source shares). A control character no
 * source name in practice holds; one that does stops the bulk load (the online load takes it).
 */
export const ARRAY_DELIMITER = '\u001f';

/** Thrown when a value cannot go through the importer's CSV unchanged. */
export class BulkFormatError extends Error {
  override name = 'BulkFormatError';
}

const needsQuotes = /[",\r\n]/;
const lineBreak = /[\r\n]/;

/** A CSV file written with back-pressure, quoting as RFC 4180 (the importer's default). */
class CsvOut {
  private readonly stream: WriteStream;
  private chunk = '';
  multiline = false;
  rows = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
  }

  cell(value: string): string {
    if (!needsQuotes.test(value)) return value;
    if (lineBreak.test(value)) this.multiline = true;
    return `"${value.replace(/"/g, '""')}"`;
  }

  array(values: string[]): string {
    return this.cell(values.join(ARRAY_DELIMITER));
  }

  async line(cells: string[], header = false): Promise<void> {
    this.chunk += cells.join(',') + '\n';
    if (!header) this.rows++;
    if (this.chunk.length >= 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.chunk;
    this.chunk = '';
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}

/** A JS number as the importer parses it back exactly (shortest round-trip form). */
const num = (x: number) => String(x);

/**
 * Writes the graph as the importer's CSV files into `dir`: one node file per entity type (the
 * entity rows' property names as further string columns) and one relationship file per
 * (relation, subject type, object type). `loadId` is the `_srcLoad` of every share.
 */
export async function writeImportFiles(graph: BulkGraph, dir: string, loadId: string): Promise<ImportFile[]> {
  for (const source of graph.sources) {
    if (source.includes(ARRAY_DELIMITER)) {
      throw new BulkFormatError(`the source name '${source.slice(0, 80)}' contains the character U+001F, which the bulk importer cannot store in a list; load this data without --bulk`);
    }
  }
  mkdirSync(dir, { recursive: true });
  const files: ImportFile[] = [];
  let index = 0;
  for (const [type, nodes] of graph.nodes) {
    if (type === IDENTIFIER_LABEL) {
      // Internal identifier nodes: the key only, no Entity label (MERGE_IDENTIFIER_LINKS's shape).
      const out = new CsvOut(join(dir, `nodes-${index++}.csv`));
      await out.line([`:ID(${type})`, 'key'], true);
      for (let n = 0; n < nodes.ids.length; n++) await out.line([String(n), out.cell(nodes.ids[n]!)]);
      await out.close();
      files.push({ kind: 'nodes', what: type, path: out.path, multiline: out.multiline, rows: out.rows });
      continue;
    }
    const propNames = new Set<string>();
    for (const props of nodes.props.values()) for (const k of Object.keys(props)) propNames.add(k);
    const names = [...propNames].sort();
    const out = new CsvOut(join(dir, `nodes-${index++}.csv`));
    // `:ID(type)`: the node's index in an id space per type (ids are unique per type only), not
    // stored; the importer maps integers much faster than strings (--id-type=integer), and the
    // relationship files carry short numbers instead of pseudonyms. `id` is the stored id.
    await out.line([`:ID(${type})`, 'id', 'key', 'name', ...names], true);
    for (let n = 0; n < nodes.ids.length; n++) {
      const id = nodes.ids[n]!;
      const cells = [String(n), out.cell(id), out.cell(`${type}:${id}`), out.cell(nodes.names.get(n) ?? id)];
      const props = nodes.props.get(n);
      for (const k of names) {
        const v = props?.[k];
        cells.push(v === undefined ? '' : out.cell(v));
      }
      await out.line(cells);
    }
    await out.close();
    files.push({ kind: 'nodes', what: `${type}:${ENTITY_LABEL}`, path: out.path, multiline: out.multiline, rows: out.rows });
  }
  // The online writer's two shapes (queries.ts, mergeRelationships): one share as scalars,
  // several as lists; a file's header types its columns, so each shape has a file of its own.
  const outs = [];
  for (const group of graph.groups) {
    // An identifier link's column is a property of each of its relationships.
    const kind = group.kind === undefined ? [] : ['kind'];
    const single = new CsvOut(join(dir, `relationships-${index++}.csv`));
    await single.line([`:START_ID(${group.sType})`, `:END_ID(${group.oType})`, '_src', '_srcLoad', 'weight:double', 'count:long', 'firstTs:double', 'lastTs:double', ...kind], true);
    const multi = new CsvOut(join(dir, `relationships-${index++}.csv`));
    await multi.line(
      [
        `:START_ID(${group.sType})`,
        `:END_ID(${group.oType})`,
        '_src:string[]',
        '_srcW:double[]',
        '_srcN:long[]',
        '_srcFirst:double[]',
        '_srcLast:double[]',
        '_srcLoad:string[]',
        'weight:double',
        'count:long',
        'firstTs:double',
        'lastTs:double',
        ...kind,
      ],
      true,
    );
    outs.push({ group, single, multi });
  }
  // One pass over the relationships in the order they were first read.
  for (let r = 0; r < graph.relationships; r++) {
    const { group, s, o, shares } = graph.relationshipAt(r);
    const { single, multi } = outs[group]!;
    const t = totals(shares);
    const tail = [num(t.weight), num(t.count), t.firstTs === null ? '' : num(t.firstTs), t.lastTs === null ? '' : num(t.lastTs)];
    const kind = graph.groups[group]!.kind;
    if (kind !== undefined) tail.push(single.cell(kind));
    if (shares.length === 1) {
      await single.line([String(s), String(o), single.cell(shares[0]!.src), loadId, ...tail]);
      continue;
    }
    await multi.line([
      String(s),
      String(o),
      multi.array(shares.map((x) => x.src)),
      shares.map((x) => num(x.w)).join(ARRAY_DELIMITER),
      shares.map((x) => num(x.n)).join(ARRAY_DELIMITER),
      shares.map((x) => num(x.first)).join(ARRAY_DELIMITER),
      shares.map((x) => num(x.last)).join(ARRAY_DELIMITER),
      shares.map(() => loadId).join(ARRAY_DELIMITER),
      ...tail,
    ]);
  }
  for (const { group, single, multi } of outs) {
    for (const out of [single, multi]) {
      await out.close();
      if (out.rows > 0) files.push({ kind: 'relationships', what: group.rel, path: out.path, multiline: out.multiline, rows: out.rows });
    }
  }
  return files;
}
