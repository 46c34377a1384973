import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { hashKey, keyIdOf } from '../../server/auth/keys.js';
import { SCENE_LABEL } from '../../server/graph/schema-statements.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { contractCapabilities } from '../../web/src/api/capabilities.js';
import { GraphQLClient } from '../../web/src/api/client.js';
import { ServerScenes } from '../../web/src/api/saved-scenes.js';
import { keysForEveryRole } from '../support/role-matrix.js';
import { filterSceneFile } from '../support/scene-filter-file.js';
import { testConfig, testDatabase } from '../support/neo4j.js';

// The explorer's client of the server's saved scenes against the real app and Neo4j.
const logger = pino({ level: 'silent' });
const db = testDatabase();
const { keysFile, keys } = keysForEveryRole();
const keyed = createApp({ db, config: testConfig({ apiKeysFile: keysFile }), logger, vocabulary: coreVocabulary });
const local = createApp({ db, config: testConfig(), logger, vocabulary: coreVocabulary });
type AnyApp = typeof keyed;
let calls = 0;
const viaApp = (target: AnyApp): typeof fetch => (input, init) => { calls++; return Promise.resolve(target.fetch(new Request(new URL(String(input), 'http://localhost'), init))); };
const client = (target: AnyApp, key?: string) => new GraphQLClient({ fetch: viaApp(target), attempts: 1, headers: (): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {}) });

afterAll(async () => {
  await db.write('test-cleanup', `MATCH (s:${SCENE_LABEL}) WHERE s.owner IN $owners DELETE s`, { owners: Object.values(keys).map((k) => keyIdOf(hashKey(k))) });
  keyed.metrics.close();
  local.metrics.close();
  await db.close();
});

describe('ServerScenes', () => {
  it('is "needs-key" without a key where a key is required, "no-keys" where the server admits callers without keys', async () => {
    // A keyed server refuses introspection without a key (the explorer falls back to the contract's fields).
    expect(await new ServerScenes(client(keyed)).refresh(contractCapabilities(), false)).toBe('needs-key');
    // The local default answers introspection to anyone, and then refuses scenes without a key.
    const caps = { query: new Set(['stats', 'savedScenes']) };
    const anonymous = new ServerScenes(client(local));
    expect(await anonymous.refresh(caps, true)).toBe('no-keys');
    expect(anonymous.message).toMatch(/belong to an API key/);
  });

  it('is "absent" without asking when the introspected schema has no savedScenes', async () => {
    const before = calls;
    expect(await new ServerScenes(client(keyed, keys.service)).refresh(contractCapabilities(), true)).toBe('absent');
    expect(calls).toBe(before);
  });

  it('saves (replacing a name), lists, loads and deletes a scene file for its key', async () => {
    const scenes = new ServerScenes(client(keyed, keys.service));
    expect(await scenes.refresh(null, false)).toBe('on');
    const file = filterSceneFile();
    const saved = await scenes.save('Client test', file);
    expect(saved).toMatchObject({ name: 'Client test', nodes: file.nodes.length, edges: file.edges.length });
    await scenes.save('Client test', { ...file, nodes: file.nodes.slice(0, 5), edges: [] });
    expect(scenes.scenes.filter((s) => s.name === 'Client test')).toHaveLength(1);
    const again = new ServerScenes(client(keyed, keys.service));
    await again.refresh(null, false);
    expect(again.scenes.find((s) => s.name === 'Client test')?.nodes).toBe(5);
    const loaded = (await again.load('Client test')) as { nodes: { key: string }[] };
    expect(loaded.nodes.map((n) => n.key)).toEqual(file.nodes.slice(0, 5).map((n) => n.key));
    // Another key's client sees nothing of it.
    const otherKey = new ServerScenes(client(keyed, keys.admin));
    await otherKey.refresh(null, false);
    expect(otherKey.scenes.map((s) => s.name)).not.toContain('Client test');
    expect(await otherKey.load('Client test')).toBeNull();
    expect(await again.remove('Client test')).toBe(true);
    expect(await again.load('Client test')).toBeNull();
  });
});
