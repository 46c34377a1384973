import { compactFilter, noFilter } from '../graph/filters.js';
import { maxLinkNodes, parseSceneFile, parseSettings, sceneFileToElements, type SceneFile, type SceneSettings } from '../graph/scene.js';
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
  /** A file's colour mode: applied through the explorer (segments may need loading). */
  setColorBy: (v: NonNullable<SceneSettings['colorBy']>) => void;
}

/** Scenes in and out: JSON import and export, PNG export, and the shareable link. */
export class SceneFiles {
  constructor(private readonly d: SceneFilesDeps) {}

  /** Loads an exported scene (replacing the canvas); used by Import and by tests for big scenes. */
  importScene(json: unknown): Promise<void> {
    const { graph } = this.d;
    const file = parseSceneFile(json);
    // How the scene was looked at (filter, sizes, layout) before it is added; colours after.
    const settings = parseSettings(file.settings);
    graph.filter = { ...noFilter, ...settings.filter };
    if (settings.sizeBy) graph.sizeBy = settings.sizeBy;
    if (settings.layout) graph.layoutName = settings.layout;
    const els = sceneFileToElements(file, lang());
    const positioned = file.nodes.length > 0 && file.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y));
    const cy = graph.cy;
    cy.batch(() => cy.elements().remove());
    graph.history.clear();
    this.d.onReplace();
    graph.add(els, { label: 'import', layout: positioned ? 'none' : 'full' });
    if (settings.colorBy && settings.colorBy !== graph.colorBy) this.d.setColorBy(settings.colorBy);
    if (positioned) { graph.fitNow(); return Promise.resolve(); }
    return graph.layoutDone;
  }

  /** The scene on canvas as a file: nodes with positions, edges, and its filter and style. */
  sceneFile(): SceneFile {
    const g = this.d.graph;
    return { format: 'kg-explorer-scene', version: 1, ...g.snapshot(), settings: { filter: compactFilter(g.filter), colorBy: g.colorBy, sizeBy: g.sizeBy, layout: g.layoutName } };
  }

  exportJson(): void {
    const file = this.sceneFile();
    download('scene.json', new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' }));
  }

  /** The whole scene as drawn, without the fading of a highlight (an exported picture shows everything at full strength). */
  exportPng(): void {
    const cy = this.d.graph.cy;
    const faded = cy.elements('.faded');
    cy.batch(() => faded.removeClass('faded'));
    try {
      const blob = cy.png({ output: 'blob', full: true, scale: this.d.graph.isBig ? 1 : 2, bg: '#ffffff', maxWidth: 8000, maxHeight: 8000 });
      download('scene.png', blob);
    } finally {
      cy.batch(() => faded.addClass('faded'));
    }
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
