import { fmt, groupNeighbours, isAnonymousType, readableLabel, type RankedNeighbour } from '../graph/elements.js';
import { lookOf } from '../graph/palette.js';
import { h } from './dom.js';
import { lang, relationName, t, typeName } from './i18n.js';

export interface ChooserOptions {
  /** The node's label, for the title. */
  title: string;
  items: RankedNeighbour[];
  /** Neighbours the server did not send (beyond its limit), mentioned but not listed. */
  notLoaded: number;
  /** "Add selected": the chosen neighbours and the ones left out. */
  onAdd: (chosen: RankedNeighbour[], rest: RankedNeighbour[]) => void;
}

/**
 * The neighbour chooser: a filterable checklist of a node's neighbours grouped by type and
 * relation with their counts ("Product · RELATES_TO 5"), named entities first; the 10 strongest
 * named ones ticked (consumers only when there is nothing else).
 */
export function openChooser(o: ChooserOptions): void {
  const { items } = o;
  const named = items.filter((i) => !isAnonymousType(i.entity.type));
  const chosen = new Set<string>((named.length ? named : items).slice(0, 10).map((i) => i.entity.key));
  const list = h('div', { class: 'list', 'data-testid': 'chooser-list' });
  let filter = '';
  const close = () => back.remove();
  const count = h('span', { class: 'grow' });
  const renderList = () => {
    const f = filter.toLowerCase();
    const shown = items.filter((i) => !f || i.entity.name.toLowerCase().includes(f) || (i.entity.nameEn ?? '').toLowerCase().includes(f) || readableLabel(i.entity, lang()).toLowerCase().includes(f));
    list.replaceChildren(...groupNeighbours(shown).flatMap((g) => {
      const all = h('input', { type: 'checkbox', checked: g.items.every((i) => chosen.has(i.entity.key)) });
      all.addEventListener('change', () => { for (const i of g.items) { if (all.checked) chosen.add(i.entity.key); else chosen.delete(i.entity.key); } renderList(); });
      const look = lookOf(g.type);
      const head = h('label', { class: 'pick group', 'data-testid': 'chooser-group', 'data-type': g.type, 'data-relation': g.relation, 'data-count': String(g.items.length) },
        all, h('span', { class: 'badge', style: `background:${look.tint};color:${look.color}` }, typeName(g.type)),
        h('span', { class: 'name' }, g.relation.split('/').map(relationName).join(', ')), h('span', { class: 'w' }, g.items.length.toLocaleString()));
      return [head, ...g.items.map((i) => {
        const cb = h('input', { type: 'checkbox', checked: chosen.has(i.entity.key) });
        cb.addEventListener('change', () => { if (cb.checked) chosen.add(i.entity.key); else chosen.delete(i.entity.key); count.textContent = `${chosen.size} / ${items.length}`; });
        return h('label', { class: 'pick', 'data-key': i.entity.key }, cb, h('span', { class: 'name' }, readableLabel(i.entity, lang())), h('span', { class: 'w' }, fmt(i.weight)));
      })];
    }));
    count.textContent = `${chosen.size} / ${items.length}`;
  };
  const back = h('div', { class: 'modal-back', onclick: (ev: Event) => { if (ev.target === back) close(); } },
    h('div', { class: 'modal', 'data-testid': 'neighbour-chooser', role: 'dialog' },
      h('header', {},
        h('h3', {}, `${t('neighbours')} ${o.title}`),
        h('div', { style: 'display:flex;gap:6px' },
          h('input', { class: 'input', placeholder: t('filter'), oninput: (ev: Event) => { filter = (ev.target as HTMLInputElement).value; renderList(); } }),
          h('button', { class: 'btn', onclick: () => { items.forEach((i) => chosen.add(i.entity.key)); renderList(); } }, t('selectAll')),
          h('button', { class: 'btn', onclick: () => { chosen.clear(); renderList(); } }, t('selectNone')),
        ),
        o.notLoaded ? h('p', { class: 'muted', style: 'margin:8px 0 0;font-size:12px' }, t(items.some((i) => isAnonymousType(i.entity.type)) ? 'notLoadedConsumers' : 'notLoaded', { n: o.notLoaded.toLocaleString() })) : null,
      ),
      list,
      h('footer', {}, count,
        h('button', { class: 'btn', onclick: close }, t('cancel')),
        h('button', {
          class: 'btn primary', 'data-testid': 'chooser-add',
          onclick: () => {
            o.onAdd(items.filter((i) => chosen.has(i.entity.key)), items.filter((i) => !chosen.has(i.entity.key)));
            close();
          },
        }, t('addSelected')),
      ),
    ));
  renderList();
  document.body.append(back);
}
