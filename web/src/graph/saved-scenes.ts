import { parseSceneFile, type SceneFile } from './scene.js';

// Named scenes kept in the browser (localStorage): the scene file (nodes, positions, edges) with
// its filter and style settings. Pure over a Storage-like object: tested in Node.

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface SavedSceneInfo {
  name: string;
  savedAt: string;
  nodes: number;
  edges: number;
}

interface Stored extends SavedSceneInfo { file: SceneFile }

export const savedScenesKey = 'kg-explorer.saved-scenes.v1';

/** Longest scene name kept. */
export const maxSceneName = 80;

export class SavedScenes {
  constructor(private readonly storage: StorageLike, private readonly now: () => Date = () => new Date()) {}

  private read(): Stored[] {
    try {
      const raw = JSON.parse(this.storage.getItem(savedScenesKey) ?? '[]') as unknown;
      return Array.isArray(raw) ? raw.filter((s): s is Stored => !!s && typeof (s as Stored).name === 'string' && !!(s as Stored).file) : [];
    } catch {
      return [];
    }
  }

  /** Saved scenes, newest first. */
  list(): SavedSceneInfo[] {
    return this.read()
      .map(({ name, savedAt, nodes, edges }) => ({ name, savedAt, nodes, edges }))
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  /**
   * Saves (or replaces) a scene under a name. Throws with the reason when the name is empty or
   * the browser's storage is full; nothing saved before is lost then.
   */
  save(name: string, file: SceneFile): SavedSceneInfo {
    const n = name.trim().slice(0, maxSceneName);
    if (!n) throw new Error('a saved scene needs a name');
    const entry: Stored = { name: n, savedAt: this.now().toISOString(), nodes: file.nodes.length, edges: file.edges.length, file };
    const all = this.read().filter((s) => s.name !== n);
    all.push(entry);
    this.storage.setItem(savedScenesKey, JSON.stringify(all));
    return { name: entry.name, savedAt: entry.savedAt, nodes: entry.nodes, edges: entry.edges };
  }

  /** The scene file saved under `name` (checked as an import would be), or null. */
  load(name: string): SceneFile | null {
    const s = this.read().find((x) => x.name === name);
    return s ? parseSceneFile(s.file) : null;
  }

  remove(name: string): boolean {
    const all = this.read();
    const rest = all.filter((s) => s.name !== name);
    if (rest.length === all.length) return false;
    this.storage.setItem(savedScenesKey, JSON.stringify(rest));
    return true;
  }
}

/** Where a saved scene is kept: on the server for the API key, or in this browser. */
export type SceneHome = 'server' | 'browser';

export interface SceneListEntry extends SavedSceneInfo {
  where: SceneHome;
}

/**
 * The panel's one list of saved scenes: the server's (for this key) and this browser's,
 * newest first; a name may be in both, shown twice with where each is kept.
 */
export function sceneList(browser: SavedSceneInfo[], server: { name: string; nodes: number; edges: number; updatedAt: string }[]): SceneListEntry[] {
  return [
    ...server.map((s) => ({ name: s.name, savedAt: s.updatedAt, nodes: s.nodes, edges: s.edges, where: 'server' as const })),
    ...browser.map((s) => ({ ...s, where: 'browser' as const })),
  ].sort((a, b) => b.savedAt.localeCompare(a.savedAt) || (a.where === b.where ? a.name.localeCompare(b.name) : a.where === 'server' ? -1 : 1));
}
