import type { ApiDemandLink, ApiEntity, ApiOpportunity } from '../graph/types.js';
import type { PathGroup } from '../graph/path-groups.js';
import type { ViewName } from '../graph/scene.js';
import { h } from './dom.js';
import { TrendsView } from './trends-view.js';
import { DemandView, OpportunitiesView, PathsView, type ViewDeps } from './views.js';

/** What the views draw on canvas when the user picks a row, a path or an opportunity. */
export interface ViewDrawing {
  demandLink: (source: ApiEntity, link: ApiDemandLink) => void;
  paths: (groups: PathGroup[], active: number) => void;
  opportunity: (op: ApiOpportunity) => void;
}

/** The side panel holding the active view (demand links, paths, opportunities; none for explore). */
export class ViewPanels {
  readonly side = h('aside', { class: 'side', hidden: true });
  private readonly views: Record<Exclude<ViewName, 'explore'>, DemandView | PathsView | OpportunitiesView | TrendsView>;

  constructor(deps: ViewDeps, draw: ViewDrawing) {
    this.views = {
      demand: new DemandView(deps, (src, link) => draw.demandLink(src, link)),
      paths: new PathsView(deps, (groups, i) => draw.paths(groups, i)),
      opportunities: new OpportunitiesView(deps, (op) => draw.opportunity(op)),
      trends: new TrendsView(deps),
    };
  }

  /** Shows the view's panel (or hides the side for explore) and lets it take the canvas selection. */
  show(v: ViewName): void {
    const panel = v === 'explore' ? null : this.views[v];
    this.side.hidden = !panel;
    if (panel) {
      this.side.replaceChildren(panel.root);
      panel.activate();
    }
  }

  /** A node was selected on canvas: the demand-link view follows it as its source. */
  selectionChanged(v: ViewName): void {
    if (v === 'demand') this.views.demand.activate();
  }

  /** Redraws the view's panel (language switch). */
  render(v: ViewName): void {
    if (v !== 'explore') this.views[v].render();
  }
}
