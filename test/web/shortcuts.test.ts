import { describe, expect, it } from 'vitest';
import { setLang, t } from '../../web/src/ui/i18n.js';
import { helpRows, shortcutFor, shortcuts, type KeyPress } from '../../web/src/ui/shortcuts.js';

const press = (key: string, o: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, typing: false, ...o });
const action = (p: KeyPress) => shortcutFor(p)?.action ?? null;

describe('the keyboard shortcut table', () => {
  it('maps plain keys to their actions', () => {
    expect(action(press('/'))).toBe('focusSearch');
    expect(action(press('f'))).toBe('fit');
    expect(action(press('+', { shiftKey: true }))).toBe('zoomIn');
    expect(action(press('='))).toBe('zoomIn');
    expect(action(press('-'))).toBe('zoomOut');
    expect(action(press('e'))).toBe('expand');
    expect(action(press('c'))).toBe('collapse');
    expect(action(press('l'))).toBe('layout');
    expect(action(press('Delete'))).toBe('remove');
    expect(action(press('Backspace'))).toBe('remove');
    expect(action(press('Escape'))).toBe('escape');
    expect(['1', '2', '3', '4', '5'].map((k) => action(press(k)))).toEqual(['view-explore', 'view-demand', 'view-paths', 'view-opportunities', 'view-trends']);
    expect(action(press('?', { shiftKey: true }))).toBe('help');
  });

  it('undoes with Ctrl/Cmd+Z and redoes with Shift or Y', () => {
    expect(action(press('z', { ctrlKey: true }))).toBe('undo');
    expect(action(press('z', { metaKey: true }))).toBe('undo');
    expect(action(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(action(press('y', { ctrlKey: true }))).toBe('redo');
    expect(shortcutFor(press('z', { ctrlKey: true }))?.preventDefault).toBe(true);
  });

  it('leaves keys alone while typing, with Ctrl/Cmd/Alt on plain keys, and for unknown keys', () => {
    expect(action(press('z', { ctrlKey: true, typing: true }))).toBeNull();
    expect(action(press('f', { typing: true }))).toBeNull();
    expect(action(press('f', { ctrlKey: true }))).toBeNull();
    expect(action(press('f', { altKey: true }))).toBeNull();
    expect(action(press('F', { shiftKey: true }))).toBeNull();
    expect(action(press('x'))).toBeNull();
  });

  it('gives no key two meanings', () => {
    const seen = new Set<string>();
    for (const s of shortcuts) {
      for (const k of s.keys) {
        const id = `${s.mod ? 'mod+' : ''}${s.shift === undefined ? '' : s.shift ? 'shift+' : 'noshift+'}${k}`;
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
  });

  it('describes every shortcut on the help sheet, in both languages', () => {
    setLang('en');
    expect(helpRows(t)).toEqual([
      ['/', 'Search by name, in English or 中文'], ['E', 'Expand all relations'], ['C', 'Collapse'], ['Del', 'Remove'],
      ['F', 'Fit'], ['+ / −', 'Zoom in / Zoom out'], ['L', 'Layout'], ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / Redo'],
      ['1–5', 'Explore · Demand links · Paths · Opportunities · Trends'], ['Esc', 'Close'],
    ]);
    setLang('zh');
    expect(helpRows(t)[0]).toEqual(['/', '按名称搜索，中英文皆可']);
    setLang('en');
    const described = new Set(shortcuts.map((s) => s.action));
    expect(helpRows(t).every(([, words]) => !/view-|focusSearch/.test(words))).toBe(true);
    expect(described.size).toBe(17);
  });
});
