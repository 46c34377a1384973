import { describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/neo4j.js';
import { updateWith, type PrecomputeStep, type Touched } from '../../server/refresh/pipeline.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { precomputeSteps } from '../../server/domains.js';

/** Just what updateWith reads and writes: the stamps. */
function fakeDb(steps: string[]): Database {
  const stamps = JSON.stringify(Object.fromEntries(steps.map((name) => [name, { format: 1, at: 1 }])));
  const db = {
    defaultTimeoutMs: 600_000,
    withDefaultTimeout: () => db,
    read: async () => [{ steps: stamps }],
    write: async () => [],
  };
  return db as unknown as Database;
}

describe('extra touched keys of a step', () => {
  it('what a step returns from update is merged into what later steps see', async () => {
    const seen: Touched[] = [];
    const steps: PrecomputeStep[] = [
      { name: 'a', format: 1, run: async () => undefined, update: async () => ({ consumers: ['Consumer:c_2', 'Consumer:c_1'], entities: [] }) },
      { name: 'b', format: 1, run: async () => undefined, update: async (_db, _v, t) => void seen.push(t) },
    ];
    await updateWith(steps)(fakeDb(['a', 'b']), coreVocabulary, { consumers: ['Consumer:c_1'], entities: [{ type: 'Product', key: 'Product:p' }] });
    expect(seen).toHaveLength(1);
    expect(new Set(seen[0]!.consumers)).toEqual(new Set(['Consumer:c_1', 'Consumer:c_2']));
    expect(seen[0]!.entities).toEqual([{ type: 'Product', key: 'Product:p' }]);
  });

  it('identity is the first precompute step', () => {
    expect(precomputeSteps[0]!.name).toBe('identity');
    expect(precomputeSteps[0]!.update).toBeTypeOf('function');
  });
});
