import type { MessageKey } from './i18n.js';

// The explorer's keyboard shortcuts as data: which key does what, and how the help sheet
// describes it. Pure (no DOM), so the table is tested in Node; keyboard.ts binds it.

export type ShortcutAction =
  | 'undo' | 'redo' | 'focusSearch' | 'fit' | 'zoomIn' | 'zoomOut' | 'expand' | 'collapse' | 'layout' | 'remove' | 'escape'
  | 'view-explore' | 'view-demand' | 'view-paths' | 'view-opportunities' | 'view-trends' | 'help';

export interface Shortcut {
  /** `KeyboardEvent.key` values; compared lower-cased when `mod` is set (Shift+Z arrives as "Z"). */
  keys: string[];
  action: ShortcutAction;
  /** The help sheet's words for the action. */
  description: MessageKey;
  /** Needs Ctrl or Cmd. Without it, the shortcut is off with Ctrl, Cmd or Alt held. */
  mod?: boolean;
  /** For `mod` shortcuts: Shift must be held (true) or not (false); unset: either. */
  shift?: boolean;
  /** Keeps the browser's own meaning of the key from running too (typing "/" into the box). */
  preventDefault?: boolean;
}

export const shortcuts: readonly Shortcut[] = [
  { keys: ['z'], mod: true, shift: false, action: 'undo', description: 'undo', preventDefault: true },
  { keys: ['z'], mod: true, shift: true, action: 'redo', description: 'redo', preventDefault: true },
  { keys: ['y'], mod: true, action: 'redo', description: 'redo', preventDefault: true },
  { keys: ['/'], action: 'focusSearch', description: 'searchPlaceholder', preventDefault: true },
  { keys: ['f'], action: 'fit', description: 'fit' },
  { keys: ['+', '='], action: 'zoomIn', description: 'zoomIn' },
  { keys: ['-'], action: 'zoomOut', description: 'zoomOut' },
  { keys: ['e'], action: 'expand', description: 'expandAll' },
  { keys: ['c'], action: 'collapse', description: 'collapse' },
  { keys: ['l'], action: 'layout', description: 'layout' },
  { keys: ['Delete', 'Backspace'], action: 'remove', description: 'remove' },
  { keys: ['Escape'], action: 'escape', description: 'close' },
  { keys: ['1'], action: 'view-explore', description: 'explore' },
  { keys: ['2'], action: 'view-demand', description: 'demand' },
  { keys: ['3'], action: 'view-paths', description: 'paths' },
  { keys: ['4'], action: 'view-opportunities', description: 'opportunities' },
  { keys: ['5'], action: 'view-trends', description: 'trends' },
  { keys: ['?'], action: 'help', description: 'shortcuts' },
];

/** The parts of a key event the table looks at; `typing` is true in inputs, selects and text areas. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  typing: boolean;
}

/** The shortcut a key press triggers, or null (also while typing: the field keeps its keys). */
export function shortcutFor(press: KeyPress, table: readonly Shortcut[] = shortcuts): Shortcut | null {
  if (press.typing) return null;
  const mod = press.ctrlKey || press.metaKey;
  for (const s of table) {
    if (s.mod) {
      if (!mod || !s.keys.includes(press.key.toLowerCase())) continue;
      if (s.shift !== undefined && s.shift !== press.shiftKey) continue;
      return s;
    }
    if (!mod && !press.altKey && s.keys.includes(press.key)) return s;
  }
  return null;
}

/** One line of the help sheet: the keys as shown, the actions they run, and how to join their words. */
interface HelpRow {
  keys: string;
  actions: ShortcutAction[];
  join: string;
}

// Related shortcuts share a line ("+ / −": zoom in / zoom out).
const helpLayout: readonly HelpRow[] = [
  { keys: '/', actions: ['focusSearch'], join: '' },
  { keys: 'E', actions: ['expand'], join: '' },
  { keys: 'C', actions: ['collapse'], join: '' },
  { keys: 'Del', actions: ['remove'], join: '' },
  { keys: 'F', actions: ['fit'], join: '' },
  { keys: '+ / −', actions: ['zoomIn', 'zoomOut'], join: ' / ' },
  { keys: 'L', actions: ['layout'], join: '' },
  { keys: 'Ctrl+Z / Ctrl+Shift+Z', actions: ['undo', 'redo'], join: ' / ' },
  { keys: '1–5', actions: ['view-explore', 'view-demand', 'view-paths', 'view-opportunities', 'view-trends'], join: ' · ' },
  { keys: 'Esc', actions: ['escape'], join: '' },
];

/** The help sheet's rows [keys, words] in the current language (`t` translates a message key). */
export function helpRows(t: (key: MessageKey) => string, table: readonly Shortcut[] = shortcuts): [string, string][] {
  const words = (a: ShortcutAction) => {
    const s = table.find((x) => x.action === a);
    // The search placeholder ends in its own shortcut hint "( / )", which the sheet already shows.
    return s ? t(s.description).replace(/\s+\(.*\)$/, '') : a;
  };
  return helpLayout.map((row) => [row.keys, row.actions.map(words).join(row.join)]);
}
