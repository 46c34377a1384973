import type { Capabilities } from '../api/capabilities.js';
import type { GraphQLClient } from '../api/client.js';
import { segmentIndex, segmentOfQuery, segmentsQuery } from '../api/queries.js';
import { SegmentBook, type SegmentIndex, type SegmentOfAnswer } from '../graph/segment-book.js';
import { debounce } from './dom.js';
import type { ColorBy, GraphView } from './graph-view.js';
import { t } from './i18n.js';

export interface SegmentColorsDeps {
  client: GraphQLClient;
  graph: GraphView;
  caps: () => Capabilities | null;
  toast: (text: string) => void;
  /** The segments or the colour mode changed: redraw the legend. */
  onLegend: () => void;
  /** The colour mode changed: keep it in the URL. */
  onSetting: () => void;
}

/** "Colour by segment": asks the server which segment each node on canvas is in and colours them. */
export class SegmentColors {
  /** What is known so far; null until a first answer (or when the server has no segments). */
  segments: SegmentIndex | null = null;

  constructor(private readonly d: SegmentColorsDeps) {}

  /** Switches the colour mode, loading segments first when needed. */
  async setColorBy(v: ColorBy): Promise<void> {
    this.d.graph.colorBy = v;
    if (v === 'segment') await this.load();
    if (v === 'segment' && !this.segments) this.d.toast(t('noSegments'));
    this.apply();
    this.d.graph.applyStyle();
    this.d.onLegend();
    this.d.onSetting();
  }

  /**
   * Segment ids for the nodes on canvas: insights' `segmentOf(keys)` when the server has it
   * (asked only for keys not yet known), else a `segments` field listing members.
   */
  async load(): Promise<void> {
    const caps = this.d.caps();
    if (!caps) return;
    try {
      if (caps.segmentOf) {
        const book = this.segments instanceof SegmentBook ? this.segments : new SegmentBook();
        const unknown = book.unasked(this.d.graph.cy.nodes().not('.more').map((n) => n.id()));
        // 500 keys a request keeps each answer small on scenes of thousands of nodes.
        for (let i = 0; i < unknown.length; i += 500) {
          book.add(await this.d.client.request<SegmentOfAnswer>(segmentOfQuery, { keys: unknown.slice(i, i + 500) }));
        }
        this.segments = book;
      } else if (!this.segments) {
        const q = segmentsQuery(caps);
        if (q) this.segments = segmentIndex(caps, await this.d.client.request<Record<string, unknown>>(q));
      }
    } catch (e) {
      this.d.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
    }
  }

  /** Writes the known segment of each node into its data (the style colours by it). */
  apply(): void {
    const seg = this.segments;
    if (!seg) return;
    const cy = this.d.graph.cy;
    cy.batch(() => cy.nodes().not('.more').forEach((n) => {
      const s = seg.byKey.get(n.id());
      if (s !== undefined) n.data('segment', s % 10);
    }));
  }

  /** After the scene changed: segments of the new nodes, debounced. */
  readonly refresh = debounce(async () => {
    if (this.d.graph.colorBy !== 'segment') return;
    await this.load();
    this.apply();
    this.d.onLegend();
  }, 300);
}
