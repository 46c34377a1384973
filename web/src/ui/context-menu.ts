import type { NodeSingular } from 'cytoscape';
import { relationsFor } from '../graph/vocabulary.js';
import { h } from './dom.js';
import { relationName, t } from './i18n.js';

/** What the menu's items do; the explorer supplies them. */
export interface ContextMenuActions {
  select: (key: string) => void;
  expand: (key: string, relations?: string[]) => void;
  chooseNeighbours: (key: string) => void;
  collapse: (key: string) => void;
  remove: (key: string) => void;
  fit: () => void;
  layout: () => void;
  undo: () => void;
  clear: () => void;
}

/** The right-click menu: node actions on a node, "+N more" on a badge, scene actions on the background. */
export class ContextMenu {
  readonly root = h('div', { class: 'menu', hidden: true, 'data-testid': 'context-menu' });

  constructor(private readonly a: ContextMenuActions) {
    document.addEventListener('click', (ev) => { if (!this.root.contains(ev.target as Node)) this.hide(); });
  }

  /** Opens the menu at a screen point, for a node or (null) the background. */
  show(x: number, y: number, node: NodeSingular | null): void {
    const a = this.a;
    const item = (label: string, on: () => void, hint = '', testid?: string) =>
      h('button', { 'data-testid': testid ?? null, onclick: () => { this.hide(); on(); } }, h('span', {}, label), hint ? h('span', { class: 'hint' }, hint) : null);
    const items: HTMLElement[] = [];
    if (node && !node.hasClass('more')) {
      const key = node.id();
      if (!node.selected()) a.select(key);
      items.push(item(t('expandAll'), () => a.expand(key), 'dbl-click', 'menu-expand'));
      for (const r of relationsFor(node.data('type') as string)) items.push(item(`${t('expand')}: ${relationName(r)}`, () => a.expand(key, [r]), '', `menu-expand-${r}`));
      items.push(item(t('chooseNeighbours'), () => a.chooseNeighbours(key), '', 'menu-choose'));
      items.push(h('hr'));
      items.push(item(t('collapse'), () => a.collapse(key), 'C'));
      items.push(item(t('remove'), () => a.remove(key), 'Del', 'menu-remove'));
    } else if (node?.hasClass('more')) {
      items.push(item(t('chooseNeighbours'), () => a.chooseNeighbours(node.data('moreOf') as string)));
    } else {
      items.push(item(t('fit'), a.fit, 'F'));
      items.push(item(t('layout'), a.layout, 'L'));
      items.push(item(t('undo'), a.undo, 'Ctrl+Z'));
      items.push(item(t('clear'), a.clear));
    }
    this.root.replaceChildren(...items);
    this.root.hidden = false;
    // Kept inside the window near its edges.
    const r = this.root.getBoundingClientRect();
    this.root.style.left = `${Math.min(x, innerWidth - r.width - 8)}px`;
    this.root.style.top = `${Math.min(y, innerHeight - r.height - 8)}px`;
  }

  hide(): void {
    this.root.hidden = true;
  }
}
