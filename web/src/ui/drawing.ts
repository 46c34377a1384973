import type { Collection } from 'cytoscape';
import type { Capabilities } from '../api/capabilities.js';
import { demandLinkElements, entityToNode, opportunityElements, opportunityExtras, pathToElements } from '../graph/elements.js';
import { pathScene, type PathGroup, type PathHop } from '../graph/path-groups.js';
import type { ApiDemandLink, ApiEntity, ApiOpportunity, ApiRecommendation, GraphElement, NodeData } from '../graph/types.js';
import type { GraphView } from './graph-view.js';
import { consumersText, lang } from './i18n.js';

/** Draws what the panels and views pick (a recommendation, a demand link, paths, an opportunity), highlighted. */
export class Drawing {
  constructor(
    private readonly graph: GraphView,
    private readonly caps: () => Capabilities | null,
    /** Hands the hops of drawn paths to the expansion, which keeps their aggregates. */
    private readonly onHops: (hops: PathHop[]) => void,
  ) {}

  /** Adds elements near `focus[0]`, highlights them and fits the view to them once laid out. */
  private show(els: GraphElement[], label: string, focus: string[]): Collection {
    this.graph.add(els, { label, near: focus[0] });
    const cy = this.graph.cy;
    let eles = cy.collection();
    for (const el of els) eles = eles.union(cy.getElementById(el.data.id));
    this.graph.highlight(eles);
    void this.graph.layoutDone.then(() => this.graph.fit(eles));
    return eles;
  }

  private exists = (id: string) => this.graph.cy.getElementById(id).nonempty();

  /** A recommendation: the entity and its explanation paths, highlighted with the source. */
  recommendation(r: ApiRecommendation, source: NodeData): void {
    const cy = this.graph.cy;
    const els: GraphElement[] = [entityToNode(r.entity, lang())];
    // A reason's hops are an explanation (the model's), not stored relations: marked, so the
    // details panel's "on canvas" counts do not take them for purchases or views.
    for (const reason of r.reasons) {
      for (const el of pathToElements(reason.path, lang(), this.exists)) {
        els.push(el.group === 'edges' && !this.exists(el.data.id) ? { ...el, data: { ...el.data, reason: true }, classes: 'reason' } : el);
      }
    }
    const added = this.show(els, 'recommendation', [source.key]);
    cy.getElementById(r.entity.key).data('score', r.score);
    this.graph.highlight(added.union(cy.getElementById(source.key)));
  }

  /** Puts recommendation scores on the nodes already on canvas (for "size by score"). */
  scores(recs: ApiRecommendation[]): void {
    const cy = this.graph.cy;
    cy.batch(() => { for (const r of recs) { const n = cy.getElementById(r.entity.key); if (n.nonempty()) n.data('score', r.score); } });
    if (this.graph.sizeBy === 'score') this.graph.refreshSizes();
  }

  demandLink(source: ApiEntity, link: ApiDemandLink): void {
    this.show(demandLinkElements(source, link, lang()), 'demand link', [source.key, link.entity.key]);
  }

  /**
   * The grouped paths as a scene of their own (undo brings the last one back): their interests
   * and products in columns along the way, each hop's consumers one aggregate ("7 consumers")
   * that opens like an expansion's badge. The active group (or all, for -1) is highlighted;
   * choosing another card of the same answer only moves the highlight.
   */
  paths(groups: PathGroup[], active: number): void {
    const cy = this.graph.cy;
    const scene = pathScene(groups, lang(), { consumers: consumersText });
    // Aggregates come and go as their consumers are chosen: the named nodes and edges say whether this answer is drawn.
    const drawn = scene.elements.filter((el) => !/\bmore\b/.test(el.classes ?? '')).every((el) => cy.getElementById(el.data.id).nonempty());
    if (!drawn) {
      this.onHops(scene.hops);
      this.graph.replace(scene.elements, 'paths', scene.columns);
    }
    const ids = active >= 0 ? scene.groupIds[active] ?? [] : scene.groupIds.flat();
    let eles = cy.collection();
    for (const id of ids) eles = eles.union(cy.getElementById(id));
    this.graph.highlight(eles);
    // Lines without names: the cards name the relations, and on canvas an edge that skips a column
    // (a short route beside a longer one) would put its name on the nodes it passes.
    eles.edges().addClass('quiet');
    void this.graph.layoutDone.then(() => this.graph.fit(eles));
  }

  /** An opportunity's interests and closest products, plus what the server lists beyond the contract, as a scene of its own. */
  opportunity(op: ApiOpportunity): void {
    const els = [...opportunityElements(op, lang()), ...opportunityExtras(op, this.caps()?.opportunityEntityLists ?? [], lang())];
    // A clean scene of the need alone (undo brings the last one back): the star is the whole story.
    this.graph.replace(els, 'opportunity');
    void this.graph.layoutDone.then(() => this.graph.fit());
  }
}
