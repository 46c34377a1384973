import { describe, expect, it } from 'vitest';
import { baseRate, conversionRate, converted, kRounded, liftOver, median, randomView, timeView } from '../../server/recommend/audience/backtest.js';
import { buildPersonIndex, type ConsumerRow } from '../../server/recommend/audience/persons.js';
import { withIndexes, type RecommendModel } from '../../server/recommend/model/model.js';
import { summarise, type AudienceTargetRow } from '../../server/eval/audience.js';

// A bare model holding products p0..p9 (the back-test maths needs only the positions).
const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);
const empty = { ptr: new Int32Array(11), nbr: new Int32Array(0), w: new Float32Array(0) };
const model: RecommendModel = withIndexes({
  version: 't',
  builtAt: '',
  items: ids,
  names: ids,
  namesEn: ids.map(() => ''),
  props: ids.map(() => ''),
  consumers: new Int32Array(10),
  collab: empty,
  itemInterests: { ptr: new Int32Array(11), idx: new Int32Array(0) },
  interests: [],
  interestNames: [],
  interestNamesEn: [],
  interestItems: { ptr: new Int32Array(1), nbr: new Int32Array(0), w: new Float32Array(0) },
  narrower: { ptr: new Int32Array(1), idx: new Int32Array(0), rel: new Int32Array(0) },
  broader: { ptr: new Int32Array(1), idx: new Int32Array(0), rel: new Int32Array(0) },
  similar: { ...empty, rel: new Int32Array(0) },
  relNames: [],
  weights: { interest: 0, profile: 0, social: 0, beta: 0, exploreBeta: 0, diversity: 0 },
  revisitViewed: false,
  info: {},
});
const roles = { factors: { PURCHASED: 1, VIEWED: 0.3 }, strongRels: ['PURCHASED'] };

describe('held-out views', () => {
  // 20 persons, each buying p0..p9 at times 100·person + 10·k: the latest purchases are person 19's.
  const rows: ConsumerRow[] = Array.from({ length: 20 }, (_, u) => ({
    id: `c_${String(u).padStart(22, '0')}`,
    person: null,
    engaged: ids.map((p, k) => [p, 'PURCHASED', 1, 100 * u + 10 * k] as [string, string, unknown, unknown]),
    interests: [],
  }));
  const x = buildPersonIndex(model, rows, roles);

  it('by time: the most recent share of purchases, everything first made at or after the cut', () => {
    const v = timeView(x, 0.1)!;
    expect(v.method).toBe('time');
    // 200 purchases, the latest 20: persons 18 (from k = 0) and 19.
    expect(v.cut).toBe(1800);
    expect(v.heldOut).toBe(20);
    for (let u = 0; u < 20; u++) expect(v.population[u]).toBe(u < 18 ? 1 : 0);
    expect([...v.held].reduce((a, b) => a + b, 0)).toBe(20);
    // Too few timestamps, or all at one instant: no time view.
    expect(timeView(x, 0.1, 1000)).toBeNull();
    const flat = buildPersonIndex(model, rows.map((r) => ({ ...r, engaged: r.engaged.map((e) => [e[0], e[1], e[2], 5] as [string, string, unknown, unknown]) })), roles);
    expect(timeView(flat, 0.1)).toBeNull();
  });

  it('at random: 20 % of each person with at least 5 purchases, the same for the same seed', () => {
    const v = randomView(x, 0.2, 5, 7);
    expect(v.heldOut).toBe(40);
    for (let u = 0; u < 20; u++) {
      let n = 0;
      for (let e = x.ptr[u]!; e < x.ptr[u + 1]!; e++) n += v.held[e]!;
      expect(n).toBe(2);
    }
    expect([...randomView(x, 0.2, 5, 7).held]).toEqual([...v.held]);
    expect([...randomView(x, 0.2, 5, 8).held]).not.toEqual([...v.held]);
    expect([...randomView(x, 0.2, 11, 7).population].every((p) => p === 0)).toBe(true);
  });

  it('a person converts when a held-out purchase is a target product', () => {
    const v = timeView(x, 0.1)!;
    const items = new Uint8Array(10);
    items[9] = 1;
    const conv = converted(x, v, { items });
    // Person 18's p9 (time 1890) and person 19's are held out; person 17's (1790) is not.
    expect([...conv].map((c, u) => (c ? u : -1)).filter((u) => u >= 0)).toEqual([18, 19]);
  });
});

describe('lift maths', () => {
  it('conversion, base rate, lift', () => {
    const conv = Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(conversionRate([0, 1], conv)).toBe(0.5);
    expect(conversionRate([], conv)).toBe(0);
    expect(baseRate(new Uint8Array(10).fill(1), conv)).toBe(0.2);
    // Only the persons in the mask count.
    expect(baseRate(Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]), conv)).toBe(0.5);
    expect(liftOver(0.5, 0.2)).toBeCloseTo(2.5, 12);
    expect(liftOver(0.5, 0)).toBeNull();
  });

  it('k-anonymous sizes: rounded down to a multiple of k, null below k', () => {
    expect(kRounded(4, 5)).toBeNull();
    expect(kRounded(5, 5)).toBe(5);
    expect(kRounded(12, 5)).toBe(10);
    expect(kRounded(1, 1)).toBe(1);
    expect(kRounded(0, 1)).toBeNull();
  });

  it('medians skip missing values', () => {
    expect(median([3, null, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([null])).toBeNull();
  });

  it("the eval's summary: medians over products for the contract block, interests apart", () => {
    const cell = (lift: number) => ({ size: 1, conversion: lift / 10, lift });
    const row = (kind: 'product' | 'interest', m: number, a: number): AudienceTargetRow => ({
      kind, id: 'x', name: 'x', population: 10, converters: 1, baseRate: 0.1,
      model: { top1: cell(m), top10: cell(m / 2) },
      mostActive: { top1: cell(a), top10: cell(a / 2) },
    });
    const s = summarise([row('product', 4, 2), row('product', 6, 1), row('product', 10, 3), row('interest', 100, 100)]);
    expect(s.products).toBe(3);
    expect(s.model.top1.lift).toBe(6);
    expect(s.model.top10.lift).toBe(3);
    expect(s.mostActive.top1.lift).toBe(2);
    expect(s.interests.count).toBe(1);
    expect(s.interests.model.top1.lift).toBe(100);
  });
});
