import type { Capabilities } from '../api/capabilities.js';
import type { GraphQLClient } from '../api/client.js';
import { canvasLabel, withSubLabel } from '../graph/elements.js';
import { debounce } from './dom.js';
import type { GraphView } from './graph-view.js';
import { lang } from './i18n.js';

export interface ConsumerLabelDeps {
  client: GraphQLClient;
  graph: GraphView;
  caps: () => Capabilities | null;
}

const query = `query ConsumerSegments($keys: [ID!]!) {
  segmentOf(keys: $keys) { key segment }
  segments(first: 100) { id name interests { name nameEn } }
}`;

interface Answer {
  segmentOf: { key: string; segment: string | null }[];
  segments: { id: string; name: string; interests: { name: string; nameEn: string | null }[] }[];
}

/**
 * Readable consumer labels: a consumer on canvas is labelled by its segment's largest
 * interest (in the page's language) and a short hash, "Camping #3n_v3C", once the
 * server says which segment it is in (insights' `segmentOf`); until then, or on a server
 * without segments, "Consumer #3n_v3C". Never the raw pseudonym.
 */
export class ConsumerLabels {
  private readonly asked = new Set<string>();
  private readonly names = new Map<string, { zh: string; en: string }>();
  private readonly segmentOf = new Map<string, string>();

  constructor(private readonly d: ConsumerLabelDeps) {}

  /** After the scene changed: segments of consumers not asked about yet, debounced. */
  readonly refresh = debounce(() => void this.load(), 250);

  private async load(): Promise<void> {
    if (!this.d.caps()?.segmentOf) return;
    const cy = this.d.graph.cy;
    const keys = cy.nodes('[type = "Consumer"]').not('.more').map((n) => n.id()).filter((k) => !this.asked.has(k));
    if (!keys.length) return;
    for (const k of keys) this.asked.add(k);
    try {
      for (let i = 0; i < keys.length; i += 500) {
        const a = await this.d.client.request<Answer>(query, { keys: keys.slice(i, i + 500) });
        for (const s of a.segments) {
          // The segment's largest interest: canvas labels are cut at about 20 characters.
          const top = s.interests.slice(0, 1);
          this.names.set(s.id, {
            zh: top.length ? top.map((x) => x.name).join(' · ') : s.name,
            en: top.length && top.every((x) => x.nameEn) ? top.map((x) => x.nameEn).join(' · ') : s.name,
          });
        }
        for (const r of a.segmentOf) if (r.segment !== null) this.segmentOf.set(r.key, r.segment);
      }
    } catch {
      // Labels stay "Consumer #hash": nothing a person must act on.
      for (const k of keys) this.asked.delete(k);
      return;
    }
    this.apply();
  }

  /** Writes segment names into consumer nodes and relabels them for the page's language. */
  apply(): void {
    const cy = this.d.graph.cy;
    const l = lang();
    cy.batch(() => cy.nodes('[type = "Consumer"]').not('.more').forEach((n) => {
      const seg = this.segmentOf.get(n.id());
      const names = seg === undefined ? undefined : this.names.get(seg);
      if (!names) return;
      n.data({ segName: names.zh, segNameEn: names.en });
      const label = canvasLabel({ name: n.data('name'), nameEn: n.data('nameEn'), id: n.data('entityId'), type: 'Consumer', person: n.data('person'), personIds: n.data('personIds') }, l, l === 'en' ? names.en : names.zh);
      // A stitched person keeps its "3 ids" line under the segment label.
      n.data('label', withSubLabel({ label, subEn: n.data('subEn'), subZh: n.data('subZh') }, l));
    }));
  }
}
