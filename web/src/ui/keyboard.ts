import { h } from './dom.js';
import { t } from './i18n.js';
import { helpRows, shortcutFor, type ShortcutAction } from './shortcuts.js';

/** Runs the shortcut table's actions on key presses anywhere on the page (not while typing in a field). */
export function bindShortcuts(run: Record<ShortcutAction, () => void>): void {
  document.addEventListener('keydown', (ev) => {
    const tag = (ev.target as HTMLElement).tagName;
    const typing = tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA';
    const s = shortcutFor({ key: ev.key, ctrlKey: ev.ctrlKey, metaKey: ev.metaKey, shiftKey: ev.shiftKey, altKey: ev.altKey, typing });
    if (!s) return;
    if (s.preventDefault) ev.preventDefault();
    run[s.action]();
  });
}

/** The shortcut sheet ("?"), as a modal. */
export function showShortcutHelp(): void {
  const back = h('div', { class: 'modal-back', onclick: (ev: Event) => { if (ev.target === back) back.remove(); } },
    h('div', { class: 'modal', style: 'width:420px' }, h('header', {}, h('h3', {}, t('shortcuts'))),
      h('div', { class: 'help-grid' }, ...helpRows(t).flatMap(([k, v]) => [h('span', {}, h('span', { class: 'kbd' }, k)), h('span', {}, v)])),
      h('footer', {}, h('button', { class: 'btn', onclick: () => back.remove() }, t('close')))));
  document.body.append(back);
}
