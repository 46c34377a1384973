import { apiKeyStorageKey } from '../api/saved-scenes.js';
import { checkAccess, promptsFor, type AccessState } from '../api/access.js';
import type { ApiError, GraphQLClient } from '../api/client.js';
import { h } from './dom.js';
import { wordsOf } from './i18n.js';

// The page's API key: a top-bar control ("Signed in as reader · dashboard", "Change key") and a
// prompt that comes up once when the server refuses this tab (UNAUTHENTICATED: no key or an
// unknown one; FORBIDDEN: the key's role is too small). The key stays in session storage and
// goes out as `Authorization: Bearer KEY` (api/saved-scenes.ts); giving one reloads the page
// with it (the deep link keeps the scene), as every panel asked without it.

const words = {
  en: {
    needsKey: 'This server needs an API key',
    needsKeyBody: 'Ask whoever runs it for a key (npm run keys -- add NAME reader). It is kept in this tab only and forgotten when the tab closes.',
    invalid: 'The server did not accept the key: {message}',
    forbidden: 'Your key cannot do that',
    forbiddenBody: '{message} Sign in with a key of another role, or carry on with this one.',
    placeholder: 'API key',
    signIn: 'Sign in',
    cancel: 'Not now',
    forget: 'Sign out',
    signedIn: 'Signed in as ',
    signedInTitle: 'API key “{name}”, role {role}: sent with every request from this tab',
    changeKey: 'Change key',
    noKey: 'No API key',
    giveKey: 'Sign in',
    checking: 'Checking…',
  },
  zh: {
    needsKey: '此服务器需要 API 密钥',
    needsKeyBody: '请向服务器管理员索取密钥（npm run keys -- add NAME reader）。密钥只保存在此标签页中，关闭后即忘记。',
    invalid: '服务器未接受此密钥：{message}',
    forbidden: '您的密钥无权执行此操作',
    forbiddenBody: '{message} 可以换用其他角色的密钥登录，或继续使用当前密钥。',
    placeholder: 'API 密钥',
    signIn: '登录',
    cancel: '暂不',
    forget: '退出',
    signedIn: '已登录：',
    signedInTitle: 'API 密钥“{name}”，角色 {role}：此标签页的每个请求都会带上它',
    changeKey: '更换密钥',
    noKey: '未使用 API 密钥',
    giveKey: '登录',
    checking: '检查中…',
  },
};
const say = wordsOf(words);

export interface ApiKeyPromptDeps {
  client: Pick<GraphQLClient, 'request'>;
  storage: Storage;
  /** Starts the page again with the key now kept (every panel asked without it). */
  reload: () => void;
}

/** The top-bar control and the once-a-page key prompt. */
export class ApiKeyPrompt {
  readonly control = h('div', { class: 'key-control', 'data-testid': 'api-key-status', hidden: true });
  state: AccessState = { kind: 'unknown' };
  private asked = false;
  private open: HTMLElement | null = null;

  constructor(private readonly d: ApiKeyPromptDeps) {}

  has(): boolean {
    return !!this.d.storage.getItem(apiKeyStorageKey)?.trim();
  }

  /** Asks the server who this tab is; prompts for a key if it refuses. */
  async check(): Promise<void> {
    this.state = await checkAccess(this.d.client, this.has());
    this.render();
    if (this.state.kind === 'needs-key') this.prompt('needs-key', this.has() ? this.state.reason : '');
  }

  /** The client's onRefused: prompts once a page when the refusal is about the key. */
  refused(e: ApiError): void {
    if (this.asked || !promptsFor(this.state, e.code)) return;
    this.prompt(e.code === 'FORBIDDEN' ? 'forbidden' : 'needs-key', e.message);
  }

  /** Keeps `key` (or forgets it for null) and starts the page again with it. */
  set(key: string | null): void {
    if (key) this.d.storage.setItem(apiKeyStorageKey, key);
    else this.d.storage.removeItem(apiKeyStorageKey);
    this.d.reload();
  }

  render(): void {
    const s = this.state;
    // The local default without a key: nothing to sign in to, nothing shown.
    this.control.hidden = s.kind === 'unknown' || (s.kind === 'open' && !this.has());
    const change = (label: string) => h('button', { class: 'link', 'data-testid': 'change-api-key', onclick: () => this.prompt('change') }, label);
    if (s.kind === 'signed-in') {
      this.control.dataset.state = 'signed-in';
      this.control.title = say('signedInTitle', { name: s.caller.name, role: s.caller.role });
      // "Signed in as" gives way on narrow top bars (the search box needs the room); the role stays.
      this.control.replaceChildren(h('span', { class: 'key-dot' }),
        h('span', { 'data-testid': 'api-key-role' }, h('span', { class: 'key-prefix' }, say('signedIn')), h('b', {}, s.caller.role)), change(say('changeKey')));
    } else {
      this.control.dataset.state = s.kind;
      this.control.removeAttribute('title');
      this.control.replaceChildren(h('span', { class: 'key-dot off' }), h('span', { class: 'key-prefix' }, say('noKey')), change(say('giveKey')));
    }
  }

  /** The prompt; `why` says what brought it up, `message` the server's words. */
  prompt(why: 'needs-key' | 'forbidden' | 'change', message = ''): void {
    this.asked = true;
    this.open?.remove();
    const input = h('input', { type: 'password', placeholder: say('placeholder'), autocomplete: 'off', 'data-testid': 'api-key-input', spellcheck: 'false' }) as HTMLInputElement;
    const error = h('p', { class: 'key-error', 'data-testid': 'api-key-error', role: 'alert', hidden: !(why === 'needs-key' && message) }, message ? say('invalid', { message }) : '');
    const submit = h('button', { class: 'primary', 'data-testid': 'api-key-submit' }, say('signIn')) as HTMLButtonElement;
    const close = () => { back.remove(); this.open = null; };
    const use = async () => {
      const key = input.value.trim();
      if (!key) { input.focus(); return; }
      submit.disabled = true;
      submit.textContent = say('checking');
      // Tried before it is kept: a mistyped key says so here instead of after a reload.
      const previous = this.d.storage.getItem(apiKeyStorageKey);
      this.d.storage.setItem(apiKeyStorageKey, key);
      const got = await checkAccess(this.d.client, true);
      if (got.kind === 'needs-key') {
        if (previous) this.d.storage.setItem(apiKeyStorageKey, previous); else this.d.storage.removeItem(apiKeyStorageKey);
        error.textContent = say('invalid', { message: got.reason });
        error.hidden = false;
        submit.disabled = false;
        submit.textContent = say('signIn');
        input.select();
        return;
      }
      this.set(key);
    };
    input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') void use(); if (ev.key === 'Escape') close(); });
    submit.addEventListener('click', () => void use());
    const title = why === 'forbidden' ? say('forbidden') : say('needsKey');
    const body = why === 'forbidden' ? say('forbiddenBody', { message }) : say('needsKeyBody');
    const back = h('div', { class: 'modal-back', onclick: (ev: Event) => { if (ev.target === back) close(); } },
      h('div', { class: 'modal key-modal', 'data-testid': 'api-key-prompt', 'data-why': why, role: 'dialog', 'aria-modal': 'true' },
        h('header', {}, h('h3', {}, title), h('p', { class: 'muted' }, body)),
        h('div', { class: 'key-body' }, input, error),
        h('footer', {},
          this.has() ? h('button', { class: 'link grow-left', 'data-testid': 'api-key-forget', onclick: () => this.set(null) }, say('forget')) : null,
          h('span', { class: 'grow' }),
          h('button', { 'data-testid': 'api-key-cancel', onclick: close }, say('cancel')), submit)));
    this.open = back;
    document.body.append(back);
    input.focus();
  }
}
