import type { Capabilities } from './capabilities.js';
import { ApiError, type GraphQLClient } from './client.js';

// The server's saved scenes (root fields savedScenes, savedScene, saveScene, deleteScene):
// scenes kept in Neo4j for the API key the explorer sends. Without a key the server refuses
// them (UNAUTHENTICATED) and the explorer keeps scenes in the browser.

export const savedScenesQuery = '{ savedScenes { name nodes edges bytes updatedAt } }';
export const savedSceneQuery = 'query SavedScene($name: String!) { savedScene(name: $name) { name scene } }';
export const saveSceneMutation = `mutation SaveScene($name: String!, $scene: String!, $overwrite: Boolean) {
  saveScene(name: $name, scene: $scene, overwrite: $overwrite) { name nodes edges bytes updatedAt }
}`;
export const deleteSceneMutation = 'mutation DeleteScene($name: String!) { deleteScene(name: $name) }';

/** A scene the server keeps for this key (without its JSON). */
export interface ServerSceneInfo {
  name: string;
  nodes: number;
  edges: number;
  bytes: number;
  updatedAt: string;
}

/**
 * Whether the server keeps scenes for this explorer: `on` (listed), `needs-key` (it would,
 * for an API key), `no-keys` (it lets callers in without keys, the local default, so there
 * is no key to keep them for), `absent` (the server has no such fields), `error` (it did not
 * answer; `message` says why), `unknown` before the first check.
 */
export type ServerScenesState = 'unknown' | 'on' | 'needs-key' | 'no-keys' | 'absent' | 'error';

/** The server's saved scenes for the key the client sends, with the state the panel shows. */
export class ServerScenes {
  state: ServerScenesState = 'unknown';
  message = '';
  scenes: ServerSceneInfo[] = [];

  constructor(private readonly client: Pick<GraphQLClient, 'request'>) {}

  /**
   * Lists the scenes (and so learns whether the server keeps them). An introspected schema
   * without `savedScenes` is `absent` without asking; a server that refused introspection is asked.
   */
  async refresh(caps: Pick<Capabilities, 'query'> | null, introspected: boolean): Promise<ServerScenesState> {
    if (caps && introspected && !caps.query.has('savedScenes')) return this.set('absent');
    try {
      this.scenes = (await this.client.request<{ savedScenes: ServerSceneInfo[] }>(savedScenesQuery)).savedScenes;
      return this.set('on');
    } catch (e) {
      this.scenes = [];
      const err = e instanceof ApiError ? e : new ApiError(String(e), 'rejected', 'UNKNOWN');
      if (err.kind === 'unsupported') return this.set('absent');
      // Introspection answered a caller without a key: the server admits anonymous callers, which
      // it does only without a keys file (a server with one refuses every keyless request).
      if (err.code === 'UNAUTHENTICATED') return this.set(introspected ? 'no-keys' : 'needs-key', err.message);
      return this.set('error', err.message);
    }
  }

  private set(state: ServerScenesState, message = ''): ServerScenesState {
    this.state = state;
    this.message = message;
    return state;
  }

  /** Saves a scene file under `name` (replacing one of that name); the list is refreshed. */
  async save(name: string, file: unknown): Promise<ServerSceneInfo> {
    const saved = (await this.client.request<{ saveScene: ServerSceneInfo }>(saveSceneMutation, { name, scene: JSON.stringify(file), overwrite: true })).saveScene;
    this.scenes = [saved, ...this.scenes.filter((s) => s.name !== saved.name)];
    return saved;
  }

  /** The scene file saved under `name` (parsed JSON), or null when the key has none of that name. */
  async load(name: string): Promise<unknown> {
    const s = (await this.client.request<{ savedScene: { name: string; scene: string } | null }>(savedSceneQuery, { name })).savedScene;
    return s ? (JSON.parse(s.scene) as unknown) : null;
  }

  async remove(name: string): Promise<boolean> {
    const deleted = (await this.client.request<{ deleteScene: boolean }>(deleteSceneMutation, { name })).deleteScene;
    this.scenes = this.scenes.filter((s) => s.name !== name);
    return deleted;
  }
}

/** Where the explorer keeps the API key it sends: this tab's session only (closing the tab forgets it). */
export const apiKeyStorageKey = 'kg-explorer.api-key';

/** The Authorization header for a key kept in `storage`, or none. */
export function authorizationHeaders(storage: Pick<Storage, 'getItem'>): Record<string, string> {
  const key = storage.getItem(apiKeyStorageKey)?.trim();
  return key ? { authorization: `Bearer ${key}` } : {};
}
