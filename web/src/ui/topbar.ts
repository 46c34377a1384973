import type { ViewName } from '../graph/scene.js';
import type { Lang } from '../graph/types.js';
import { h } from './dom.js';
import { lang, t, type MessageKey } from './i18n.js';

const views: [ViewName, MessageKey][] = [['explore', 'explore'], ['demand', 'demand'], ['paths', 'paths'], ['opportunities', 'opportunities'], ['trends', 'trends']];

/** The top bar's own parts: brand, view tabs and the language switch. */
export class TopBar {
  readonly brand = h('div', { class: 'brand' });
  readonly tabs = h('nav', { class: 'tabs' });
  readonly langSwitch = h('div', { class: 'lang', 'data-testid': 'lang-switch' });

  constructor(private readonly on: { view: (v: ViewName) => void; lang: (l: Lang) => void }) {}

  /** Redraws them in the current language, with `view` marked. */
  render(view: ViewName): void {
    this.brand.replaceChildren(
      h('span', { class: 'brand-mark' }),
      h('div', {}, h('b', {}, t('brand')), h('small', {}, t('tagline'))),
    );
    this.brand.firstElementChild!.innerHTML =
      '<svg viewBox="0 0 32 32" width="28" height="28"><circle cx="8" cy="9" r="5" fill="#4f46e5"/><rect x="19" y="4" width="10" height="10" rx="3" fill="#c2410c"/><path d="M16 20l6 6-6 6-6-6z" transform="translate(0 -4)" fill="#0f766e"/><path d="M8 9L24 9M8 9L16 22M24 9L16 22" stroke="#94a3b8" stroke-width="1.6"/></svg>';
    this.tabs.replaceChildren(...views.map(([v, k], i) => h('button', { class: view === v ? 'on' : '', 'data-view': v, title: `${t(k)} (${i + 1})`, onclick: () => this.on.view(v) }, t(k))));
    this.langSwitch.replaceChildren(
      ...(['en', 'zh'] as Lang[]).map((l) => h('button', { class: lang() === l ? 'on' : '', 'data-lang': l, onclick: () => this.on.lang(l) }, l === 'en' ? 'EN' : '中文')),
    );
  }

  /** Marks the active view's tab without redrawing. */
  markView(view: ViewName): void {
    this.tabs.querySelectorAll('button').forEach((b) => b.classList.toggle('on', b.dataset.view === view));
  }
}
