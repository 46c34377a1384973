import { describe, expect, it } from 'vitest';
import { sceneList } from '../../web/src/graph/saved-scenes.js';
import { apiKeyStorageKey, authorizationHeaders } from '../../web/src/api/saved-scenes.js';

describe("the scene panel's list of saved scenes", () => {
  it("lists the server's and this browser's scenes together, newest first, a name in both twice", () => {
    const list = sceneList(
      [{ name: 'Camping', savedAt: '2026-01-02T00:00:00.000Z', nodes: 3, edges: 2 }, { name: 'Old', savedAt: '2025-06-01T00:00:00.000Z', nodes: 1, edges: 0 }],
      [{ name: 'Camping', updatedAt: '2026-01-02T00:00:00.000Z', nodes: 4, edges: 5 }, { name: 'Coffee', updatedAt: '2026-02-01T00:00:00.000Z', nodes: 9, edges: 8 }],
    );
    expect(list.map((s) => `${s.name}@${s.where}`)).toEqual(['Coffee@server', 'Camping@server', 'Camping@browser', 'Old@browser']);
    expect(list[0]).toEqual({ name: 'Coffee', savedAt: '2026-02-01T00:00:00.000Z', nodes: 9, edges: 8, where: 'server' });
  });

  it('sends the API key of this tab as a Bearer header, and nothing without one', () => {
    const storage = (v: string | null) => ({ getItem: (k: string) => (k === apiKeyStorageKey ? v : null) });
    expect(authorizationHeaders(storage(' kg_abc '))).toEqual({ authorization: 'Bearer kg_abc' });
    expect(authorizationHeaders(storage(null))).toEqual({});
    expect(authorizationHeaders(storage('  '))).toEqual({});
  });
});
