import type { Collection, ElementDefinition, NodeSingular } from 'cytoscape';
import type { GraphQLClient } from '../api/client.js';
import { combinePersonNeighbourhoods, samePersonKeys } from '../graph/persons.js';
import { neighborhoodQueryFor } from '../api/queries.js';
import type { Capabilities } from '../api/capabilities.js';
import { heldBackCount, heldBackLabel, mergeKnownNeighbours, moreBadge, neighbourElements, planExpansion, rankNeighbours, type KnownNeighbours } from '../graph/elements.js';
import { hopBadge, type PathHop } from '../graph/path-groups.js';
import type { ApiSubgraph, GraphElement } from '../graph/types.js';
import type { GraphView } from './graph-view.js';
import { consumersText, lang, t } from './i18n.js';
import { openChooser } from './neighbour-chooser.js';

/** Neighbours added per expansion before the rest goes behind "+M more". */
export const expandCap = 25;
/** Neighbours fetched per expansion (ranked by weight on the server, or here). */
const expandFetch = 200;
/** Deep-link reloads fetch the expanded nodes' neighbourhoods this many at a time. */
const reopenParallel = 4;

export interface ExpansionDeps {
  client: GraphQLClient;
  graph: GraphView;
  toast: (text: string) => void;
  /** What the server offers (relation timestamps are asked for when its Edge has them). */
  caps?: () => Capabilities | null;
}

/**
 * Growing and shrinking the scene around a node: expand, "+N more" and its chooser, collapse.
 * A badge is derived state: per expanded node the neighbours the server listed are kept, and
 * after every change of the scene the badge shows those not on canvas (plus the ones the server
 * did not list), so a partial expand, a chooser pick, undo and redo all leave the right count.
 */
export class Expansion {
  /** Per expanded node: every neighbour fetched for it (not only the held-back ones). */
  private known = new Map<string, KnownNeighbours & { collapsed?: boolean }>();
  /** The paths view's hops: each one aggregate of consumers between two named nodes, opened like a badge. */
  private hops = new Map<string, PathHop>();

  constructor(private readonly d: ExpansionDeps) {
    d.graph.onChange(() => this.syncBadges());
  }

  /** Forgets expanded nodes (the scene was replaced). */
  clear(): void {
    this.known.clear();
    this.hops.clear();
  }

  /**
   * The hops of the paths about to be drawn (their aggregates among the drawn elements). They
   * live while their aggregate is on canvas beside both ends; undo does not bring them back.
   */
  showHops(hops: readonly PathHop[]): void {
    this.hops = new Map(hops.map((h) => [h.id, h]));
  }

  /** Keys of the nodes on canvas that were expanded (a deep link reopens their badges). */
  expandedKeys(): string[] {
    const cy = this.d.graph.cy;
    return [...this.known].filter(([k, v]) => !v.collapsed && cy.getElementById(k).nonempty()).map(([k]) => k);
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
      this.remember(key, ranked, sub.truncated, relations);
      const plan = planExpansion(ranked, expandCap, (k) => cy.getElementById(k).nonempty(), sub.truncated);
      const els = neighbourElements([...plan.add, ...plan.alreadyShown], lang());
      if (!plan.add.length) this.d.toast(lang() === 'zh' ? '没有新的邻居' : 'No new neighbours');
      this.d.graph.add([...els, ...this.badgeBefore(key, els)], { label: 'expand', near: key });
    } catch (e) {
      this.d.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
    } finally {
      node.removeClass('focus');
    }
  }

  /** Opens the chooser of neighbours for a node: the ones not on canvas, fetched when not known yet. */
  async chooseNeighbours(key: string, relations: string[] | null = null): Promise<void> {
    const cy = this.d.graph.cy;
    const hop = this.hops.get(key);
    if (hop) { this.chooseHopConsumers(hop); return; }
    const node = cy.getElementById(key);
    if (node.empty()) return;
    let known = relations ? undefined : this.known.get(key);
    if (!known) {
      try {
        const sub = await this.neighbourhood(node, relations);
        known = this.remember(key, rankNeighbours(sub, key), sub.truncated, relations);
      } catch (e) {
        this.d.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
        return;
      }
    }
    const plan = planExpansion(known.items, 0, (k) => cy.getElementById(k).nonempty(), known.notLoaded);
    openChooser({
      title: (node.data('label') as string | undefined) ?? key,
      items: plan.heldBack,
      notLoaded: plan.notLoaded,
      onAdd: (pick) => {
        const entry = this.known.get(key);
        if (entry) entry.collapsed = false;
        const els = neighbourElements(pick, lang());
        this.d.graph.add([...els, ...this.badgeBefore(key, els)], { label: 'add neighbours', near: key });
      },
    });
  }

  /** A path hop's chooser: its consumers not on canvas; the chosen join with their path edges to the hop's ends. */
  private chooseHopConsumers(hop: PathHop): void {
    const cy = this.d.graph.cy;
    const ends = hop.ends.map((k) => (cy.getElementById(k).data('label') as string | undefined) ?? k);
    if (!hop.items.length) { this.d.toast(lang() === 'zh' ? '您的角色看不到这些消费者' : 'These consumers are withheld from your role'); return; }
    openChooser({
      title: `${ends[0]} – ${ends[1]}`,
      items: hop.items.filter((i) => cy.getElementById(i.entity.key).empty()),
      notLoaded: 0,
      onAdd: (pick) => this.d.graph.add(neighbourElements(pick, lang()), { label: 'add consumers', near: hop.id }),
    });
  }

  /** Removes the node's neighbours that hang only on it (and its badge). */
  collapse(key: string): void {
    const node = this.d.graph.cy.getElementById(key);
    const leaves = node.neighborhood('node').filter((n) => n.hasClass('more') || ((n as NodeSingular).connectedEdges().not('.more').length <= 1 && !n.selected()));
    const entry = this.known.get(key);
    if (entry) entry.collapsed = true;
    this.d.graph.remove(leaves as unknown as Collection, 'collapse');
    this.syncBadges();
  }

  /**
   * A deep link's expanded nodes: their neighbourhoods are fetched again so their badges show
   * what is still behind them (the link carries keys, not the neighbour lists).
   */
  async reopen(keys: readonly string[]): Promise<void> {
    this.known.clear();
    const cy = this.d.graph.cy;
    const present = keys.filter((k) => cy.getElementById(k).nonempty());
    for (let i = 0; i < present.length; i += reopenParallel) {
      await Promise.all(present.slice(i, i + reopenParallel).map(async (key) => {
        try {
          const sub = await this.neighbourhood(cy.getElementById(key), null);
          this.remember(key, rankNeighbours(sub, key), sub.truncated, null);
        } catch (e) {
          this.d.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
        }
      }));
    }
    this.syncBadges();
  }

  /** Records what a fetch listed: a fetch of all relations replaces the node's list, one of some relations adds to it. */
  private remember(key: string, items: KnownNeighbours['items'], truncated: number, relations: string[] | null): KnownNeighbours {
    const entry = mergeKnownNeighbours(relations ? this.known.get(key) : undefined, { items, notLoaded: Math.max(0, truncated) });
    this.known.set(key, entry);
    return entry;
  }

  /** The badge the node will have once `els` are on canvas, so the layout places it with them (none when nothing is left). */
  private badgeBefore(key: string, els: GraphElement[]): GraphElement[] {
    const cy = this.d.graph.cy;
    cy.getElementById(`more:${key}`).remove();
    const coming = new Set(els.filter((e) => e.group === 'nodes').map((e) => e.data.id));
    return this.badgeElements(key, (k) => coming.has(k) || cy.getElementById(k).nonempty());
  }

  private badgeElements(key: string, onCanvas: (k: string) => boolean): GraphElement[] {
    const entry = this.known.get(key);
    if (!entry || entry.collapsed) return [];
    const count = heldBackCount(entry.items.filter((i) => !onCanvas(i.entity.key)), entry.notLoaded);
    if (count.named + count.consumers === 0) return [];
    const label = heldBackLabel(count, { more: (n) => t('moreNeighbours', { n }), consumers: (n) => t('consumersAggregate', { n }) });
    return moreBadge(key, count.named + count.consumers, label).map((el) => (el.group === 'nodes' ? { ...el, data: { ...el.data, consumers: count.consumers } } : el));
  }

  /** Puts each expanded node's badge in line with the scene: created, relabelled or removed (also on a language switch). */
  syncBadges(): void {
    const cy = this.d.graph.cy;
    const onCanvas = (k: string) => cy.getElementById(k).nonempty();
    cy.batch(() => {
      cy.nodes('.more').filter((b) => !this.known.has(b.data('moreOf') as string) && !this.hops.has(b.id())).remove();
      this.syncHops(onCanvas);
      for (const key of this.known.keys()) {
        const badge = cy.getElementById(`more:${key}`);
        const center = cy.getElementById(key);
        const want = center.nonempty() ? this.badgeElements(key, onCanvas) : [];
        if (!want.length) { badge.remove(); continue; }
        const node = want.find((e) => e.group === 'nodes')!;
        if (badge.nonempty()) {
          if (badge.data('label') !== node.data.label || badge.data('consumers') !== (node.data as { consumers?: number }).consumers) badge.data(node.data);
          continue;
        }
        // Beside its node: undo, redo and deep links bring badges back without a layout.
        const c = center.position();
        cy.add([{ ...node, position: { x: c.x + 70, y: c.y - 50 } }, ...want.filter((e) => e.group === 'edges')] as ElementDefinition[]);
        if (center.hasClass('filtered')) cy.getElementById(`more:${key}`).union(cy.getElementById(`more:${key}|edge`)).addClass('filtered');
      }
    });
  }

  /** A hop's aggregate counts its consumers not on canvas; it goes (and the hop is forgotten) when none is left or it lost an end. */
  private syncHops(onCanvas: (k: string) => boolean): void {
    const cy = this.d.graph.cy;
    for (const [id, hop] of this.hops) {
      const badge = cy.getElementById(id);
      // Joined to both ends, itself or through the next aggregate of a run of consumers (undo drops its edges).
      const reach = badge.union(badge.neighborhood('node.more'));
      const joined = badge.nonempty() && hop.ends.every((e) => onCanvas(e) && reach.edgesWith(cy.getElementById(e)).nonempty());
      const left = hop.items.filter((i) => !onCanvas(i.entity.key)).length + hop.withheld;
      if (!joined || left === 0) { badge.remove(); this.hops.delete(id); continue; }
      const label = consumersText(left);
      if (badge.data('label') !== label) badge.data(hopBadge(hop, left, label)[0]!.data);
    }
  }

  private async neighbourhood(node: NodeSingular, relations: string[] | null): Promise<ApiSubgraph> {
    const ask = async (key: string) => (await this.d.client.request<{ neighborhood: ApiSubgraph }>(neighborhoodQueryFor(this.d.caps?.() ?? null), {
      id: key === node.id() ? node.data('entityId') : key.slice(key.indexOf(':') + 1), type: node.data('type'), relations, limit: expandFetch,
    })).neighborhood;
    const first = await ask(node.id());
    const person = node.data('person') as string | undefined;
    if (!person) return first;
    // A stitched person: the neighbours of each of its ids, as one node's (ids drawn with it, and
    // ids its answers name, e.g. by SAME_AS; one more round, so a chain of links is followed too).
    const known = new Set<string>([node.id()]);
    const subs = [first];
    let next = [...((node.data('personKeys') as string[] | undefined) ?? []), ...samePersonKeys(first, person, known)].filter((k) => !known.has(k));
    for (let round = 0; round < 2 && next.length; round++) {
      for (const k of next) known.add(k);
      const got = await Promise.all([...new Set(next)].map(ask));
      subs.push(...got);
      next = got.flatMap((sub) => samePersonKeys(sub, person, known));
    }
    return combinePersonNeighbourhoods(node.id(), [...known], subs);
  }
}
