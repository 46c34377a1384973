import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BulkGraph } from '../../server/ingest/bulk/bulk-graph.js';
import { ARRAY_DELIMITER, BulkFormatError, writeImportFiles } from '../../server/ingest/bulk/import-files.js';

const dir = mkdtempSync(join(tmpdir(), 'kg-bulk-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const triple = (s: string, o: string, source: string, weight: number, ts: number | null) => ({ s, sType: 'Consumer', rel: 'PURCHASED', o, oType: 'Product', weight, ts, source });

describe('the importer files of a bulk load', () => {
  it('keeps one relationship per key with a share per source in first-seen order, and quotes what needs it', async () => {
    const g = new BulkGraph();
    g.addTriple(triple('c1', 'p1', 'b', 2, 100));
    g.addTriple(triple('c1', 'p1', 'a', 1, null));
    g.addTriple(triple('c1', 'p1', 'b', 3, 50));
    g.addEntity({ id: 'p1', type: 'Product', name: 'Tea, "green"\nloose', props: { colour: 'green' } });
    g.addEntity({ id: 'p1', type: 'Product', name: 'Tea, "green"\nloose', props: { size: 'L' } });
    const files = await writeImportFiles(g, dir, 'L1');
    expect(g.relationships).toBe(1);
    expect(g.shares).toBe(2);
    const products = files.find((f) => f.what === 'Product:Entity')!;
    expect(products.multiline).toBe(true);
    expect(readFileSync(products.path, 'utf8')).toBe(':ID(Product),id,key,name,colour,size\n0,p1,Product:p1,"Tea, ""green""\nloose",green,L\n');
    const rels = files.find((f) => f.kind === 'relationships')!;
    const [, row] = readFileSync(rels.path, 'utf8').trim().split('\n');
    const d = ARRAY_DELIMITER;
    expect(row).toBe(['0', '0', `b${d}a`, `5${d}1`, `2${d}1`, `50${d}1e+300`, `100${d}-1e+300`, `L1${d}L1`, '6', '3', '50', '100'].join(','));
  });

  it('writes a relationship with one share in the scalar shape, apart from those with several', async () => {
    const g = new BulkGraph();
    g.addTriple(triple('c1', 'p1', 'a', 2, 100));
    g.addTriple(triple('c1', 'p1', 'a', 1, null));
    g.addTriple(triple('c2', 'p1', 'a', 1, 10));
    g.addTriple(triple('c2', 'p1', 'b', 1, null));
    const rels = (await writeImportFiles(g, join(dir, 'shapes'), 'L1')).filter((f) => f.kind === 'relationships');
    expect(rels.map((f) => f.rows)).toEqual([1, 1]);
    const [header, row] = readFileSync(rels[0]!.path, 'utf8').trim().split('\n');
    expect(header).toBe(':START_ID(Consumer),:END_ID(Product),_src,_srcLoad,weight:double,count:long,firstTs:double,lastTs:double');
    expect(row).toBe('0,0,a,L1,3,2,100,100');
    expect(readFileSync(rels[1]!.path, 'utf8')).toContain('_src:string[]');
  });

  it('keeps every relationship and share apart when its table grows past its first capacity', () => {
    const g = new BulkGraph();
    const n = 40_000;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < n; i++) g.addTriple(triple(`c${i}`, `p${i % 97}`, round === 0 || i % 2 ? 'a' : 'b', i + 1, round * 10 + (i % 7)));
    }
    expect(g.relationships).toBe(n);
    expect(g.shares).toBe(n + n / 2);
    // Merged whole into an empty graph (the parallel reader's path): one table sized at once.
    const merged = new BulkGraph();
    merged.merge(g.toParts().parts);
    expect([merged.relationships, merged.shares]).toEqual([n, n + n / 2]);
    for (const i of [0, 1, 16_383, 16_384, 39_999]) {
      const r = merged.relationshipAt(i);
      expect([merged.nodes.get('Consumer')!.ids[r.s], merged.nodes.get('Product')!.ids[r.o]]).toEqual([`c${i}`, `p${i % 97}`]);
      const w = i + 1;
      expect(r.shares).toEqual(
        i % 2
          ? [{ src: 'a', w: 2 * w, n: 2, first: i % 7, last: 10 + (i % 7) }]
          : [
              { src: 'a', w, n: 1, first: i % 7, last: i % 7 },
              { src: 'b', w, n: 1, first: 10 + (i % 7), last: 10 + (i % 7) },
            ],
      );
    }
  });

  it('stops on a source name holding the list delimiter', async () => {
    const g = new BulkGraph();
    g.addTriple(triple('c1', 'p1', `x${ARRAY_DELIMITER}y`, 1, null));
    await expect(writeImportFiles(g, join(dir, 'bad'), 'L1')).rejects.toThrow(BulkFormatError);
  });
});
