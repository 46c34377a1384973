// Segment colours of a scene, learnt bit by bit: each `segmentOf(keys)` answer adds the keys it
// was asked about, and every segment gets the next colour index the first time it appears, so
// colours stay put while the scene grows. Pure: tested in Node.

/** Segment index per entity key and the segments' names (index = position in `labels`). */
export interface SegmentIndex {
  byKey: Map<string, number>;
  labels: string[];
}

/** An answer of the `segmentOf` query (web/src/api/queries.ts). */
export interface SegmentOfAnswer {
  segmentOf: { key: string; segment: string | null }[];
  segments: { id: string; name: string }[];
}

export class SegmentBook implements SegmentIndex {
  readonly byKey = new Map<string, number>();
  readonly labels: string[] = [];
  private readonly asked = new Set<string>();
  private readonly indexOf = new Map<string, number>();

  /** The keys not asked about yet (a key without a segment is not asked again either). */
  unasked(keys: readonly string[]): string[] {
    return keys.filter((k) => !this.asked.has(k));
  }

  /** Takes in one answer: segment names first (they give the legend its labels), then the keys. */
  add(answer: SegmentOfAnswer): void {
    for (const s of answer.segments) this.index(s.id, s.name);
    for (const r of answer.segmentOf) {
      this.asked.add(r.key);
      if (r.segment === null) continue;
      this.byKey.set(r.key, this.index(r.segment, r.segment));
    }
  }

  private index(id: string, label: string): number {
    let i = this.indexOf.get(id);
    if (i === undefined) {
      i = this.indexOf.size;
      this.indexOf.set(id, i);
      this.labels.push(label);
    }
    return i;
  }
}
