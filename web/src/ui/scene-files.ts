import { maxLinkNodes, parseSceneFile, sceneFileToElements, type SceneFile } from '../graph/scene.js';
import { download } from './dom.js';
import type { GraphView } from './graph-view.js';
import { lang, t } from './i18n.js';

export interface SceneFilesDeps {
  graph: GraphView;
  toast: (text: string) => void;
  /** Writes the URL now-ish (debounced). */
  syncUrl: () => void;
  /** The canvas is about to be replaced: forget what belonged to the old scene. */
  onReplace: () => void;
}

/** Scenes in and out: JSON import and export, PNG export, and the shareable link. */
export class SceneFiles {
  constructor(private readonly d: SceneFilesDeps) {}

  /** Loads an exported scene (replacing the canvas); used by Import and by tests for big scenes. */
  importScene(json: unknown): Promise<void> {
    const { graph } = this.d;
    const file = parseSceneFile(json);
    const els = sceneFileToElements(file, lang());
    const positioned = file.nodes.length > 0 && file.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y));
    const cy = graph.cy;
    cy.batch(() => cy.elements().remove());
    graph.history.clear();
    this.d.onReplace();
    graph.add(els, { label: 'import', layout: positioned ? 'none' : 'full' });
    if (positioned) { graph.fitNow(); return Promise.resolve(); }
    return graph.layoutDone;
  }

  exportJson(): void {
    const file: SceneFile = { format: 'kg-explorer-scene', version: 1, ...this.d.graph.snapshot() };
    download('scene.json', new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' }));
  }

  exportPng(): void {
    const blob = this.d.graph.cy.png({ output: 'blob', full: true, scale: this.d.graph.isBig ? 1 : 2, bg: '#ffffff', maxWidth: 8000, maxHeight: 8000 });
    download('scene.png', blob);
  }

  /** Copies the deep link (after the debounced URL write has run); scenes too big for a link are said so. */
  async copyLink(): Promise<void> {
    this.d.syncUrl();
    await new Promise((r) => setTimeout(r, 300));
    if (this.d.graph.nodeCount > maxLinkNodes) this.d.toast(t('tooBigForLink'));
    try {
      await navigator.clipboard.writeText(location.href);
      this.d.toast(t('linkCopied'));
    } catch {
      this.d.toast(location.href);
    }
  }
}
