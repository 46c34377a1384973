import { describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/neo4j.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { ingestRows } from '../../server/ingest/load.js';
import type { RawRecord } from '../../server/ingest/types.js';
import { storedEntityId } from '../../server/privacy/pseudonym.js';
import { scheduleRefresh, scheduleUpdate } from '../../server/refresh/background.js';
import { freshness, mergeTouched, type Touched } from '../../server/refresh/pipeline.js';

// The queue only keys its state by the database object; no query is sent.
const key = () => ({}) as Database;
const touched = (c: string, e: string): Touched => ({ consumers: [c], entities: [{ type: 'Product', key: e }] });
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
};

describe('the derived-values queue', () => {
  it('merges updates asked for during a running job into one, and never overlaps jobs', async () => {
    const db = key();
    const calls: Touched[] = [];
    let active = 0;
    let overlapped = false;
    const first = gate();
    const update = async (_db: Database, _v: unknown, t: Touched) => {
      overlapped ||= active > 0;
      active++;
      calls.push(t);
      if (calls.length === 1) await first.opened;
      active--;
    };
    const a = scheduleUpdate(db, coreVocabulary, update, touched('Consumer:a', 'Product:1'), () => {});
    const b = scheduleUpdate(db, coreVocabulary, update, touched('Consumer:b', 'Product:2'), () => {});
    const c = scheduleUpdate(db, coreVocabulary, update, touched('Consumer:b', 'Product:1'), () => {});
    first.open();
    await Promise.all([a, b, c]);
    expect(overlapped).toBe(false);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.consumers.sort()).toEqual(['Consumer:b']);
    expect(calls[1]!.entities.map((e) => e.key).sort()).toEqual(['Product:1', 'Product:2']);
  });

  it('lets a pending full refresh absorb the updates queued with it', async () => {
    const db = key();
    const log: string[] = [];
    const first = gate();
    const update = async (_db: Database, _v: unknown, t: Touched) => {
      log.push(`update ${t.consumers.join(',')}`);
      await first.opened;
    };
    const refresh = async () => {
      log.push('full');
    };
    const running = scheduleUpdate(db, coreVocabulary, update, touched('Consumer:a', 'Product:1'), () => {});
    const queued = scheduleUpdate(db, coreVocabulary, update, touched('Consumer:b', 'Product:2'), () => {});
    const full = scheduleRefresh(db, coreVocabulary, refresh, () => {});
    first.open();
    await Promise.all([running, queued, full]);
    expect(log).toEqual(['update Consumer:a', 'full']);
  });

  it('reports a failed job and goes on with the next', async () => {
    const db = key();
    const errors: unknown[] = [];
    await scheduleRefresh(db, coreVocabulary, async () => { throw new Error('boom'); }, (e) => errors.push(e));
    let ran = false;
    await scheduleRefresh(db, coreVocabulary, async () => { ran = true; }, () => {});
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
    expect(ran).toBe(true);
  });

  it('dedupes touched keys and takes the later of a full run and an update as freshness', () => {
    const m = mergeTouched(touched('Consumer:a', 'Product:1'), touched('Consumer:a', 'Product:1'), { consumers: [], entities: [{ type: 'Interest', key: 'Interest:x' }] });
    expect(m.consumers).toEqual(['Consumer:a']);
    expect(m.entities.map((e) => e.key)).toEqual(['Product:1', 'Interest:x']);
    expect(freshness({ format: 1, at: 10, updatedAt: 20 })).toBe(20);
    expect(freshness({ format: 1, at: 30, updatedAt: 20 })).toBe(30);
    expect(freshness(undefined)).toBeNull();
  });
});

describe('what a write touched', () => {
  const secret = 'unit-secret-unit-secret-unit-secret';
  const records = (n: number): RawRecord[] =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'triple',
      file: 'triples',
      line: i + 1,
      defaultSource: 'api',
      fields: { subject: `c${i % 3}`, subject_type: 'Consumer', relation: 'PURCHASED', object: `p${i % 2}`, object_type: 'Product' },
    }));

  it('names the stored (pseudonymised) consumer keys and the products of the valid rows', async () => {
    const bad: RawRecord = { kind: 'triple', file: 'triples', line: 9, defaultSource: 'api', fields: { subject: 'cx', subject_type: 'Consumer', relation: 'NOPE', object: 'px', object_type: 'Product' } };
    const { touched } = await ingestRows(null, coreVocabulary, [...records(6), bad], { pseudonymSecret: secret });
    expect(touched!.consumers.sort()).toEqual(['c0', 'c1', 'c2'].map((c) => `Consumer:${storedEntityId(secret, 'Consumer', c)}`).sort());
    expect(touched!.consumers.join()).not.toMatch(/Consumer:c\d/);
    expect(touched!.entities.map((e) => e.key).sort()).toEqual(['Product:p0', 'Product:p1']);
  });

  it('is null above the incremental threshold (a full refresh is due)', async () => {
    expect((await ingestRows(null, coreVocabulary, records(5), { pseudonymSecret: secret, incrementalMaxRows: 5 })).touched).not.toBeNull();
    expect((await ingestRows(null, coreVocabulary, records(6), { pseudonymSecret: secret, incrementalMaxRows: 5 })).touched).toBeNull();
  });
});
