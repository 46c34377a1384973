import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { snapPeriod, trend } from '../../server/insights/trends.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

// Issue 17, finding 7: `trend` accepted any periods, so [A, t) against [A, t + 1 s) isolated one
// consumer's link to the interest; allConsumers of a one-second window was 1. Periods are now
// whole days and the population is withheld under K_ANONYMITY too.
const db = testDatabase();
const ns = testNamespace('differencing');
const day = 86_400;
// 1990: no other test file puts links there.
const d0 = 631_152_000;
const t = d0 + 3 * day + 5_000;
const opts = { kAnonymity: 5, pseudonymSecret: 'test-secret-test-secret-test-secret' };

beforeAll(async () => {
  await db.write(
    'test-seed',
    `CREATE (i:Entity:Interest {id: $ns + '-iX', key: 'Interest:' + $ns + '-iX', name: 'x'})
     WITH i
     UNWIND range(1, 6) AS n
     CREATE (c:Entity:Consumer {id: $ns + '-c' + n, key: 'Consumer:' + $ns + '-c' + n, name: $ns + '-c' + n})
     CREATE (c)-[:INTERESTED_IN {weight: 1.0, count: 1, firstTs: toFloat(CASE WHEN n = 6 THEN $t ELSE $d0 + 3600 END)}]->(i)`,
    { ns, t, d0 },
  );
});

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns DETACH DELETE n', { ns });
  await db.close();
});

describe('finding 7: k-anonymity without differencing', () => {
  it('snaps periods to whole UTC days, at least one day long', () => {
    expect(snapPeriod({ from: d0 + 10, to: t })).toEqual({ from: d0, to: d0 + 3 * day });
    expect(snapPeriod({ from: t, to: t + 1 })).toEqual({ from: d0 + 3 * day, to: d0 + 4 * day });
  });

  it('[A, t) against [A, t + 1 s) no longer isolates the consumer linked at t', async () => {
    const before = { from: d0 - 10 * day, to: d0 };
    const a = await trend(db, coreVocabulary, { ...opts, id: `${ns}-iX`, type: 'Interest', before, after: { from: d0, to: t } });
    const b = await trend(db, coreVocabulary, { ...opts, id: `${ns}-iX`, type: 'Interest', before, after: { from: d0, to: t + 1 } });
    expect(a.after.sourceConsumers).toBe(5);
    expect(b.after.sourceConsumers).toBe(a.after.sourceConsumers);
    expect(b.after).toEqual(a.after);
  });

  it('withholds the population of a tiny window, and every score built on it', async () => {
    const r = await trend(db, coreVocabulary, { ...opts, id: `${ns}-iX`, type: 'Interest', before: { from: d0 - day, to: d0 }, after: { from: t, to: t + 1 } });
    expect(r.after.allConsumers).toBeNull();
    expect(r.after.sourceConsumers).toBeNull();
    expect(r.after.suppressed).toBe(true);
    expect(r.zScore).toBeNull();
    expect(r.shareGrowth).toBeNull();
  });
});
