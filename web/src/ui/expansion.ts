import type { Collection, NodeSingular } from 'cytoscape';
import type { GraphQLClient } from '../api/client.js';
import { neighborhoodQueryFor } from '../api/queries.js';
import type { Capabilities } from '../api/capabilities.js';
import { heldBackCount, heldBackLabel, moreBadge, neighbourElements, planExpansion, rankNeighbours, type RankedNeighbour } from '../graph/elements.js';
import type { ApiSubgraph, GraphElement } from '../graph/types.js';
import type { GraphView } from './graph-view.js';
import { lang, t } from './i18n.js';
import { openChooser } from './neighbour-chooser.js';

/** Neighbours added per expansion before the rest goes behind "+M more". */
export const expandCap = 25;
/** Neighbours fetched per expansion (ranked by weight on the server, or here). */
const expandFetch = 200;

export interface ExpansionDeps {
  client: GraphQLClient;
  graph: GraphView;
  toast: (text: string) => void;
  /** What the server offers (relation timestamps are asked for when its Edge has them). */
  caps?: () => Capabilities | null;
}

/** Growing and shrinking the scene around a node: expand, "+N more" and its chooser, collapse. */
export class Expansion {
  /** Per expanded node: the ranked neighbours behind its "+N more" badge. */
  private heldBack = new Map<string, { items: RankedNeighbour[]; notLoaded: number }>();

  constructor(private readonly d: ExpansionDeps) {}

  /** Forgets held-back neighbours (the scene was replaced). */
  clear(): void {
    this.heldBack.clear();
  }

  /**
   * Expands a node by all relations (or some): the strongest `expandCap` new named neighbours
   * are added; the rest and the consumers wait behind one badge ("+3 more · 184 consumers").
   */
  async expand(key: string, relations: string[] | null = null): Promise<void> {
    const cy = this.d.graph.cy;
    const node = cy.getElementById(key);
    if (node.empty() || node.hasClass('more')) return;
    node.addClass('focus');
    try {
      const sub = await this.neighbourhood(node, relations);
      const ranked = rankNeighbours(sub, key);
      const plan = planExpansion(ranked, expandCap, (k) => cy.getElementById(k).nonempty(), sub.truncated);
      const els = neighbourElements([...plan.add, ...plan.alreadyShown], lang());
      this.holdBack(key, plan.heldBack, plan.notLoaded, els);
      if (!els.length) this.d.toast(lang() === 'zh' ? '没有新的邻居' : 'No new neighbours');
      this.d.graph.add(els, { label: 'expand', near: key });
    } catch (e) {
      this.d.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
    } finally {
      node.removeClass('focus');
    }
  }

  /** Replaces the node's "+M more" badge by one for `items` and `notLoaded` (none when both are empty). */
  private holdBack(key: string, items: RankedNeighbour[], notLoaded: number, els: GraphElement[]): void {
    this.d.graph.cy.getElementById(`more:${key}`).remove();
    this.heldBack.set(key, { items, notLoaded });
    const count = heldBackCount(items, notLoaded);
    const more = count.named + count.consumers;
    const label = heldBackLabel(count, { more: (n) => t('moreNeighbours', { n }), consumers: (n) => t('consumersAggregate', { n }) });
    if (more > 0) els.push(...moreBadge(key, more, label).map((el) => (el.group === 'nodes' ? { ...el, data: { ...el.data, consumers: count.consumers } } : el)));
  }

  private async neighbourhood(node: NodeSingular, relations: string[] | null): Promise<ApiSubgraph> {
    const data = await this.d.client.request<{ neighborhood: ApiSubgraph }>(neighborhoodQueryFor(this.d.caps?.() ?? null), {
      id: node.data('entityId'), type: node.data('type'), relations, limit: expandFetch,
    });
    return data.neighborhood;
  }

  /** Opens the chooser of neighbours for a node: held-back ones, or freshly fetched. */
  async chooseNeighbours(key: string, relations: string[] | null = null): Promise<void> {
    const cy = this.d.graph.cy;
    const node = cy.getElementById(key);
    if (node.empty()) return;
    let held = relations ? undefined : this.heldBack.get(key);
    if (!held) {
      try {
        const sub = await this.neighbourhood(node, relations);
        const plan = planExpansion(rankNeighbours(sub, key), 0, (k) => cy.getElementById(k).nonempty(), sub.truncated);
        held = { items: plan.heldBack, notLoaded: plan.notLoaded };
      } catch (e) {
        this.d.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
        return;
      }
    }
    const { notLoaded } = held;
    openChooser({
      title: (cy.getElementById(key).data('label') as string | undefined) ?? key,
      items: held.items,
      notLoaded,
      onAdd: (pick, rest) => {
        const els = neighbourElements(pick, lang());
        this.holdBack(key, rest, notLoaded, els);
        this.d.graph.add(els, { label: 'add neighbours', near: key });
      },
    });
  }

  /** Removes the node's neighbours that hang only on it (and its badge). */
  collapse(key: string): void {
    const node = this.d.graph.cy.getElementById(key);
    const leaves = node.neighborhood('node').filter((n) => n.hasClass('more') || ((n as NodeSingular).connectedEdges().not('.more').length <= 1 && !n.selected()));
    this.heldBack.delete(key);
    this.d.graph.remove(leaves as unknown as Collection, 'collapse');
  }
}
