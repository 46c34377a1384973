import type { ApiStatus } from '../api/client.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export interface ApiStatusDeps {
  toast: (text: string) => void;
  /** Called once the API answers /health again: reload what failed while it was down. */
  onBack: () => Promise<void>;
}

/**
 * The API's state on screen: the status dot, the loading bar, and the "not answering" banner
 * that polls /health while the API is down.
 */
export class ApiStatusView {
  readonly banner = h('div', { class: 'banner', hidden: true, 'data-testid': 'api-down', role: 'alert' });
  readonly busy = h('div', { class: 'busy-bar', hidden: true, 'data-testid': 'loading' });
  readonly dot = h('div', { class: 'status', title: 'API' }, h('span', { class: 'dot' }));
  private healthTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly d: ApiStatusDeps) {}

  /** Shows the client's status (its onStatus callback). */
  show(s: ApiStatus): void {
    this.busy.hidden = s.pending === 0;
    this.dot.className = `status${s.down ? ' down' : s.pending ? ' busy' : ''}`;
    this.dot.dataset.state = s.down ? 'down' : s.pending ? 'loading' : 'ok';
    if (s.down) {
      this.banner.hidden = false;
      this.banner.replaceChildren(
        h('strong', {}, t('apiDown')),
        h('span', {}, s.retryIn ? t('retryingIn', { s: s.retryIn }) : t('retrying')),
        h('button', { onclick: () => void this.checkHealth(true) }, t('retryNow')),
      );
      if (!this.healthTimer) this.healthTimer = setInterval(() => void this.checkHealth(false), 4000);
    } else if (!this.banner.hidden && !this.healthTimer) {
      this.banner.hidden = true;
    }
  }

  /** Polls /health while the API is down; when it is back, reloads what failed. */
  private async checkHealth(manual: boolean): Promise<void> {
    let up = false;
    try {
      const r = await fetch('/health', { cache: 'no-store' });
      up = r.ok;
    } catch {
      up = false;
    }
    if (up) {
      clearInterval(this.healthTimer);
      this.healthTimer = undefined;
      this.banner.hidden = true;
      this.dot.className = 'status';
      this.dot.dataset.state = 'ok';
      await this.d.onBack();
    } else if (manual) {
      this.d.toast(t('apiDown'));
    }
  }
}
