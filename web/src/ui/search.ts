import type { GraphQLClient } from '../api/client.js';
import { ApiError } from '../api/client.js';
import { latest } from '../api/latest.js';
import { searchQuery } from '../api/queries.js';
import { nodeLabel } from '../graph/elements.js';
import { lookOf } from '../graph/palette.js';
import type { ApiEntity } from '../graph/types.js';
import { debounce, h } from './dom.js';
import { lang, t, typeName } from './i18n.js';

export interface SearchBoxOptions {
  client: GraphQLClient;
  onPick: (e: ApiEntity) => void;
  /** data-testids for the input and the result list. */
  inputTestId?: string;
  resultsTestId?: string;
  placeholder?: () => string;
  /** Types offered by the type filter (none: no filter). */
  types?: string[];
  /** Restricts results to these types (used by pickers). */
  fixedTypes?: string[];
  first?: number;
}

/** A small type badge coloured like the entity's nodes. */
export function typeBadge(type: string): HTMLElement {
  const look = lookOf(type);
  return h('span', { class: 'badge', style: `background:${look.tint};color:${look.color}` }, typeName(type));
}

/**
 * Search with autocomplete: debounced `search` calls, arrow keys and Enter to pick, the type
 * filter, and loading, empty and error states in the list.
 */
export function searchBox(o: SearchBoxOptions): { root: HTMLElement; input: HTMLInputElement; refresh: () => void } {
  let filter: string | null = null;
  let items: ApiEntity[] = [];
  let active = 0;
  // Typing fast sends several searches: only the answer for the newest text is shown.
  const searches = latest();
  const input = h('input', { type: 'search', autocomplete: 'off', spellcheck: 'false', 'data-testid': o.inputTestId ?? null, 'aria-label': 'search' });
  const list = h('div', { class: 'results', role: 'listbox', hidden: true, 'data-testid': o.resultsTestId ?? null });
  const filterBar = o.types?.length ? h('div', { class: 'type-filter', role: 'group' }) : null;

  const renderFilter = () => {
    if (!filterBar) return;
    const opts: (string | null)[] = [null, ...(o.types ?? [])];
    filterBar.replaceChildren(
      ...opts.map((tp) =>
        h('button', {
          class: filter === tp ? 'on' : '',
          'data-type': tp ?? 'all',
          onclick: () => {
            filter = tp;
            renderFilter();
            if (input.value.trim()) run();
            input.focus();
          },
        }, tp ? typeName(tp) : t('allTypes')),
      ),
    );
  };

  const pick = (e: ApiEntity | undefined) => {
    if (!e) return;
    list.hidden = true;
    // Leave the box: the next key is a shortcut (E expands), not a letter of a new query.
    input.blur();
    o.onPick(e);
  };

  const renderItems = () => {
    list.replaceChildren(
      ...(items.length
        ? items.map((e, i) => {
            const label = nodeLabel(e, lang());
            const alt = label !== e.name ? e.name : e.nameEn && e.nameEn !== label ? e.nameEn : '';
            return h('div', {
              class: `result${i === active ? ' active' : ''}`,
              role: 'option',
              'data-key': e.key,
              onmousedown: (ev: Event) => { ev.preventDefault(); pick(e); },
              onmousemove: () => { if (active !== i) { active = i; renderItems(); } },
            }, typeBadge(e.type), h('span', { class: 'name' }, label, alt ? h('span', { class: 'alt' }, alt) : null));
          })
        : [h('div', { class: 'result-empty' }, t('noResults'))]),
    );
    list.hidden = false;
  };

  const run = async () => {
    const q = input.value.trim();
    if (!q) {
      searches.drop();
      list.hidden = true;
      return;
    }
    list.replaceChildren(h('div', { class: 'result-empty' }, t('searching')));
    list.hidden = false;
    const types = o.fixedTypes ?? (filter ? [filter] : null);
    const r = await searches.run(() => o.client.request<{ search: ApiEntity[] }>(searchQuery, { q, types, first: o.first ?? 12 }));
    if (!r) return;
    if (r.ok) {
      items = r.value.search;
      active = 0;
      renderItems();
      return;
    }
    const err = r.error as ApiError;
    list.replaceChildren(
      h('div', { class: 'result-empty error', 'data-state': 'error' },
        err.kind === 'unsupported' ? t('unsupported', { field: 'search' }) : `${t('errorPrefix')}: ${err.message}`),
    );
  };
  const debounced = debounce(run, 180);

  input.addEventListener('input', debounced);
  input.addEventListener('focus', () => { if (input.value.trim() && items.length) renderItems(); });
  input.addEventListener('blur', () => setTimeout(() => { list.hidden = true; }, 120));
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') { active = Math.min(items.length - 1, active + 1); renderItems(); ev.preventDefault(); }
    else if (ev.key === 'ArrowUp') { active = Math.max(0, active - 1); renderItems(); ev.preventDefault(); }
    else if (ev.key === 'Enter') { pick(items[active]); ev.preventDefault(); }
    else if (ev.key === 'Escape') { list.hidden = true; input.blur(); }
  });

  const refresh = () => {
    input.placeholder = o.placeholder?.() ?? '';
    renderFilter();
  };
  refresh();
  const root = h('div', { class: 'search' }, h('div', { style: 'position:relative;flex:1' }, input, list), filterBar);
  return { root, input, refresh };
}
