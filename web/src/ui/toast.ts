import { h } from './dom.js';

/** A short message at the bottom of the stage that fades after a few seconds. */
export class Toast {
  readonly root = h('div', { class: 'toast', role: 'status' });
  private timer: ReturnType<typeof setTimeout> | undefined;

  show(text: string): void {
    this.root.textContent = text;
    this.root.classList.add('show');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.root.classList.remove('show'), 2600);
  }
}
