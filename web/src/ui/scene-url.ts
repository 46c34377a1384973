import type { GraphQLClient } from '../api/client.js';
import { entitiesQuery } from '../api/queries.js';
import { chunked, entitiesPerRequest, entityVariables, restoredElements, sameNodes } from '../graph/deep-link.js';
import { noFilter } from '../graph/filters.js';
import { decodeScene, encodeScene, sceneGraph, type SceneState } from '../graph/scene.js';
import type { ApiEntity, NodeData } from '../graph/types.js';
import { debounce } from './dom.js';
import type { GraphView } from './graph-view.js';
import { lang, setLang, t } from './i18n.js';

export interface SceneUrlDeps {
  client: GraphQLClient;
  graph: GraphView;
  toast: (text: string) => void;
  /** Applies a link's explorer settings (view, exploration) and redraws the chrome; the canvas's own are applied here. */
  applySettings: (s: SceneState) => void;
  /** The settings to write into the link. */
  settings: () => Pick<SceneState, 'view' | 'x'>;
  /** Shows the link's selected node in the details panel. */
  showDetails: (n: NodeData) => void;
  /** Keys of the expanded nodes on canvas, for the link. */
  expanded: () => string[];
  /** Brings back the badges of a link's expanded nodes (called with [] when a link has none). */
  reopen: (keys: string[]) => Promise<void>;
}

/** The scene in the URL hash: written on every change, read back from deep links and on hashchange. */
export class SceneUrl {
  private restoring = false;
  private writing = false;

  constructor(private readonly d: SceneUrlDeps) {
    window.addEventListener('hashchange', () => { if (!this.writing) void this.restore(location.hash); });
  }

  /** Rebuilds the scene of a deep link: entities are fetched by key, edges and positions come from the link. */
  async restore(hash: string): Promise<void> {
    const { graph } = this.d;
    const { scene, problems } = decodeScene(hash);
    if (problems.length) this.d.toast(problems.join('; '));
    this.applySettings(scene);
    if (!scene.nodes.length) return;
    if (sameNodes(graph.cy.nodes().not('.more').map((n) => n.id()), scene)) return;
    this.restoring = true;
    try {
      const fetchChunk = async (keys: string[]) => {
        const data = await this.d.client.request<Record<string, ApiEntity | null>>(entitiesQuery(keys.length), entityVariables(keys), { partial: true });
        return keys.map((_, j) => data[`e${j}`]).filter((e): e is ApiEntity => !!e);
      };
      const chunks = chunked(scene.nodes, entitiesPerRequest);
      const entities: ApiEntity[] = [];
      // Four requests at a time: quick for links of a few hundred nodes without flooding the API.
      for (const batch of chunked(chunks, 4)) {
        for (const list of await Promise.all(batch.map(fetchChunk))) entities.push(...list);
      }
      graph.cy.elements().remove();
      graph.history.clear();
      graph.add(restoredElements(scene, entities, lang()), { layout: scene.pos ? 'none' : 'full' });
      if (scene.pos) graph.fitNow();
      await this.d.reopen(scene.expanded ?? []);
      if (scene.sel) {
        const n = graph.cy.getElementById(scene.sel);
        if (n.nonempty()) { n.select(); this.d.showDetails(n.data() as NodeData); }
      }
    } catch (e) {
      this.d.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
    } finally {
      this.restoring = false;
      this.sync();
    }
  }

  /** Applies a link's settings: language, layout and colouring here, the rest through the explorer. */
  applySettings(s: SceneState): void {
    const { graph } = this.d;
    setLang(s.lang);
    document.documentElement.lang = s.lang === 'zh' ? 'zh-CN' : 'en';
    graph.lang = s.lang;
    graph.layoutName = s.layout;
    if (graph.colorBy !== s.color) {
      graph.colorBy = s.color;
      if (s.color === 'degree') graph.refreshSizes();
      graph.applyStyle();
    }
    // The link's filter (a link without one shows everything). Not a scene change: writing the
    // URL now would overwrite the very link being opened before its nodes are fetched.
    graph.setFilter(s.filter ?? noFilter, false);
    this.d.applySettings(s);
  }

  /** Writes the scene to the URL (replaceState, so the back button is not flooded). */
  readonly sync = debounce(() => {
    if (this.restoring) return;
    const { graph } = this.d;
    const snap = graph.snapshot();
    const sel = graph.cy.nodes(':selected').not('.more').first();
    const state: SceneState = {
      ...sceneGraph(snap.nodes, snap.edges, true),
      ...this.d.settings(),
      sel: sel.nonempty() ? sel.id() : undefined,
      lang: lang(), layout: graph.layoutName, color: graph.colorBy, filter: graph.filter, expanded: this.d.expanded(),
    };
    const hash = encodeScene(state);
    this.writing = true;
    history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
    this.writing = false;
  }, 250);
}
