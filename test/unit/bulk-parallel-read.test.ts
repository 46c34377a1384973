import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { BulkGraph } from '../../server/ingest/bulk/bulk-graph.js';
import { readInParallel } from '../../server/ingest/bulk/parallel-read.js';
import { readAll } from '../../server/ingest/read-all.js';
import type { RawRecord, Reject, TripleRow, EntityRow } from '../../server/ingest/types.js';
import { isReject, RowValidator } from '../../server/ingest/validate.js';
import { TEST_SECRET } from '../support/ingest-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'kg-bulk-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a bulk load reads into: the graph and the counts (as bulk-load.ts's target). */
function target() {
  const validator = new RowValidator(coreVocabulary, TEST_SECRET);
  const graph = new BulkGraph();
  return {
    graph,
    read: 0,
    loaded: 0,
    rejected: 0,
    propertiesDropped: 0,
    add(record: RawRecord): Reject | null {
      this.read++;
      const row = record.kind === 'triple' ? validator.triple(record) : validator.entity(record);
      if (isReject(row)) {
        this.rejected++;
        return row;
      }
      this.loaded++;
      if (record.kind === 'triple') graph.addTriple(row as TripleRow);
      else graph.addEntity(row as EntityRow);
      return null;
    },
    rejectOnly() {
      this.read++;
      this.rejected++;
    },
  };
}

/** Every relationship as text, sorted: the graph regardless of node and relationship numbering. */
function relationshipsOf(g: BulkGraph): string[] {
  const out: string[] = [];
  for (let r = 0; r < g.relationships; r++) {
    const x = g.relationshipAt(r);
    const group = g.groups[x.group]!;
    out.push(`${group.rel} ${g.nodes.get(group.sType)!.ids[x.s]} ${g.nodes.get(group.oType)!.ids[x.o]} ${JSON.stringify(x.shares)}`);
  }
  return out.sort();
}

async function load(file: string, threads: number | null) {
  const t = target();
  const rejectsFile = join(dir, `${threads ?? 'one'}-${file.split('/').pop()}.rejects.csv`);
  let parallel = false;
  await readAll([file], coreVocabulary, t, {
    rejectsFile,
    readWhole: threads
      ? async (f, reject, onBytes, onProgress) => (parallel = await readInParallel(f, t.graph, t, reject, { vocabulary: coreVocabulary, pseudonymSecret: TEST_SECRET, threads, minBytes: 0 }, onBytes, onProgress))
      : undefined,
  });
  return { t, parallel, rejects: readFileSync(rejectsFile, 'utf8') };
}

describe('the bulk load\'s parallel reader', () => {
  it('reads a file in several threads into the graph, counts and rejects (same lines) of the one-thread path', async () => {
    const lines = ['subject,subject_type,relation,object,object_type,weight,timestamp,source'];
    for (let i = 0; i < 3_000; i++) {
      if (i === 700) lines.push('c1,Consumer,PURCHASED,p1,Nope,1,,'); // unknown type
      if (i === 1_900) lines.push('c1,Consumer,PURCHASED'); // too few columns
      if (i === 2_500) lines.push('');
      lines.push(`c${i % 211},Consumer,${i % 3 ? 'VIEWED' : 'PURCHASED'},p${i % 37},Product,${(i % 5) + 1},${1_700_000_000 + i},${i % 4 ? 'crm' : 'shop'}`);
    }
    const file = join(dir, 'triples.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const one = await load(file, null);
    for (const threads of [2, 3]) {
      const many = await load(file, threads);
      expect(many.parallel).toBe(true);
      expect([many.t.read, many.t.loaded, many.t.rejected]).toEqual([one.t.read, one.t.loaded, one.t.rejected]);
      expect(many.t.graph.shares).toBe(one.t.graph.shares);
      expect(relationshipsOf(many.t.graph)).toEqual(relationshipsOf(one.t.graph));
      expect(many.rejects).toBe(one.rejects);
    }
    expect(one.t.rejected).toBe(2);
    expect(one.rejects).toContain(',702,object_type,');
    expect(one.rejects).toContain(',1903,(columns),');
  });

  it('keeps the last entity row\'s name and merges properties across threads as one thread does', async () => {
    const lines = ['id,type,name,colour,size'];
    for (let i = 0; i < 2_000; i++) lines.push(`p${i % 50},Product,name ${i},${i % 2 ? 'red' : ''},${i % 3 ? '' : `s${i}`}`);
    const file = join(dir, 'entities.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const one = await load(file, null);
    const many = await load(file, 2);
    expect(many.parallel).toBe(true);
    const nodesOf = (g: BulkGraph) => {
      const t = g.nodes.get('Product')!;
      return t.ids.map((id, n) => [id, t.names.get(n), t.props.get(n)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    };
    expect(nodesOf(many.t.graph)).toEqual(nodesOf(one.t.graph));
    expect(nodesOf(one.t.graph)[0]).toEqual(['p0', 'name 1950', { size: 's1950' }]);
  });

  it('leaves a CSV file with quotes to the one-thread path (a quoted field may hold a line break)', async () => {
    const file = join(dir, 'quoted.csv');
    writeFileSync(file, 'subject,subject_type,relation,object,object_type\n' + 'c1,Consumer,PURCHASED,p1,Product\n'.repeat(500) + 'c2,Consumer,PURCHASED,"p\n2",Product\n');
    const many = await load(file, 2);
    expect(many.parallel).toBe(false);
    expect([many.t.read, many.t.loaded, many.t.graph.relationships]).toEqual([501, 501, 2]);
  });
});
