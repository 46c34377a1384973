import type { Core, EdgeSingular, EventObject, NodeSingular } from 'cytoscape';

/** What taps, double taps, right clicks and drags on the canvas do; the explorer supplies it. */
export interface CanvasHandlers {
  /** A tap on an entity node. */
  node: (n: NodeSingular) => void;
  /** A tap on a "+N more" badge, with the key of the node it belongs to. */
  more: (ofKey: string) => void;
  /** A tap on an edge (not a badge's): the edge inspector. */
  edge: (e: EdgeSingular) => void;
  /** Any tap (before `node`/`background`): menus close. */
  anyTap: () => void;
  background: () => void;
  /** A double tap on an entity node. */
  expand: (key: string) => void;
  /** A right click at a screen point, on a node or (null) the background. */
  menu: (x: number, y: number, node: NodeSingular | null) => void;
  /** A node was dragged somewhere. */
  moved: () => void;
}

/** Binds the canvas's pointer events (and window resizes) to the handlers. */
export function bindCanvas(cy: Core, on: CanvasHandlers): void {
  cy.on('tap', 'node', (ev: EventObject) => {
    const n = ev.target as NodeSingular;
    if (n.hasClass('more')) on.more(n.data('moreOf') as string);
    else on.node(n);
  });
  cy.on('tap', 'edge', (ev: EventObject) => {
    const e = ev.target as EdgeSingular;
    if (!e.hasClass('more')) on.edge(e);
  });
  cy.on('tap', (ev: EventObject) => {
    on.anyTap();
    if (ev.target === cy) on.background();
  });
  cy.on('dbltap', 'node', (ev: EventObject) => {
    const n = ev.target as NodeSingular;
    if (!n.hasClass('more')) on.expand(n.id());
  });
  cy.on('cxttap', (ev: EventObject) => {
    const oe = ev.originalEvent as MouseEvent;
    if (ev.target === cy) on.menu(oe.clientX, oe.clientY, null);
    else if ((ev.target as NodeSingular).isNode?.()) on.menu(oe.clientX, oe.clientY, ev.target as NodeSingular);
  });
  cy.on('dragfree', 'node', () => on.moved());
  window.addEventListener('resize', () => cy.resize());
}
