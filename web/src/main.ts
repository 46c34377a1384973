import './styles.css';
import { Explorer } from './ui/app.js';

// Entry point: one explorer on #app; `window.cy` and `window.explorer` are the test hooks.
const explorer = new Explorer(document.querySelector<HTMLElement>('#app')!);
(window as unknown as { explorer: Explorer }).explorer = explorer;
