import { readFileSync, writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { addKey, hashKey, keyIdOf } from '../../server/auth/keys.js';
import { sceneLimits } from '../../server/core/limits.js';
import { SCENE_LABEL, SCENE_OWNER_LABEL } from '../../server/graph/schema-statements.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { codes, gql } from '../support/graphql.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';
import { keysForEveryRole } from '../support/role-matrix.js';

// Named scenes stored in Neo4j per API key (issue 15, item 5): saved, listed, reopened,
// replaced and deleted through the API; another key never sees or deletes them; anonymous
// callers are told a key is needed; a reader key stores and gets back no individual consumer.
const db = testDatabase();
const ns = testNamespace('scenes');
const { keysFile, keys } = keysForEveryRole();
const otherService = addKey(keysFile, 'crm', 'service');
const capped = addKey(keysFile, 'capped', 'service');
const app = createApp({ db, config: testConfig({ host: '0.0.0.0', apiKeysFile: keysFile }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
// The local default: no keys file on 127.0.0.1, anonymous callers read.
const localApp = createApp({ db, config: testConfig(), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const owners = [keys.reader, keys.service, keys.admin, otherService, capped].map((k) => keyIdOf(hashKey(k)));
const apps = [app, localApp];

afterAll(async () => {
  await db.write('test-cleanup', `MATCH (s:${SCENE_LABEL}) WHERE s.owner IN $owners DELETE s`, { owners });
  await db.write('test-cleanup', `MATCH (o:${SCENE_OWNER_LABEL}) WHERE o.id IN $owners DELETE o`, { owners });
  for (const a of apps) a.metrics.close();
  await db.close();
});

const SAVE = `mutation($name: String!, $scene: String!, $overwrite: Boolean) {
  saveScene(name: $name, scene: $scene, overwrite: $overwrite) { name nodes edges bytes createdAt updatedAt } }`;
const LIST = '{ savedScenes { name nodes edges bytes createdAt updatedAt } }';
const OPEN = 'query($name: String!) { savedScene(name: $name) { name scene nodes edges } }';
const DELETE = 'mutation($name: String!) { deleteScene(name: $name) }';

/** A scene as the explorer exports it: a product, an interest and, optionally, a consumer who bought the product. */
function sceneJson(opts: { consumer?: boolean; extra?: Record<string, unknown> } = {}): string {
  const nodes: Record<string, unknown>[] = [
    { key: `Product:${ns}-tent`, id: `${ns}-tent`, type: 'Product', name: '帐篷', nameEn: 'Tent', properties: null, x: 10, y: 20 },
    { key: `Interest:${ns}-camping`, id: `${ns}-camping`, type: 'Interest', name: '露营', nameEn: 'Camping', properties: null, x: 110, y: 20 },
  ];
  const edges: Record<string, unknown>[] = [{ source: `Product:${ns}-tent`, target: `Interest:${ns}-camping`, relation: 'RELATES_TO', weight: 2, firstTs: 1_700_000_000, lastTs: 1_710_000_000 }];
  if (opts.consumer) {
    nodes.push({ key: `Consumer:${ns}-c1`, id: `${ns}-c1`, type: 'Consumer', name: `${ns}-c1`, nameEn: null, properties: '{"segment":"A"}', x: 60, y: 90 });
    edges.push({ source: `Consumer:${ns}-c1`, target: `Product:${ns}-tent`, relation: 'PURCHASED', weight: 1 });
  }
  return JSON.stringify({
    format: 'kg-explorer-scene', version: 1, nodes, edges,
    settings: { filter: { hiddenRelations: ['VIEWED'], minWeight: 2 }, colorBy: 'degree', sizeBy: 'weight', layout: 'concentric' },
    ...opts.extra,
  });
}

describe('saved scenes per API key', () => {
  it('saves, lists, reopens, replaces (only with overwrite) and deletes a scene', async () => {
    const name = `${ns} camping 露营`;
    const saved = await gql(app, SAVE, { name, scene: sceneJson() }, as(keys.service));
    expect(codes(saved.body)).toEqual([]);
    expect(saved.body.data!.saveScene).toMatchObject({ name, nodes: 2, edges: 1 });
    expect(saved.body.data!.saveScene.bytes).toBeGreaterThan(100);

    const listed = await gql(app, LIST, {}, as(keys.service));
    expect(listed.body.data!.savedScenes.map((s: { name: string }) => s.name)).toContain(name);

    const opened = await gql(app, OPEN, { name }, as(keys.service));
    const file = JSON.parse(opened.body.data!.savedScene.scene);
    expect(file.nodes.map((n: { key: string; x: number }) => [n.key, n.x])).toEqual([[`Product:${ns}-tent`, 10], [`Interest:${ns}-camping`, 110]]);
    expect(file.nodes[0].name).toBe('帐篷');
    expect(file.settings).toEqual({ filter: { hiddenRelations: ['VIEWED'], minWeight: 2 }, colorBy: 'degree', sizeBy: 'weight', layout: 'concentric' });
    expect(file.edges[0]).toMatchObject({ relation: 'RELATES_TO', weight: 2, firstTs: 1_700_000_000 });

    // The same name again: refused without overwrite, and the stored scene is untouched.
    const again = await gql(app, SAVE, { name, scene: sceneJson({ consumer: true }) }, as(keys.service));
    expect(codes(again.body)).toEqual(['BAD_USER_INPUT']);
    expect(again.body.errors![0]!.message).toMatch(/already saved; pass overwrite: true/);
    expect((await gql(app, OPEN, { name }, as(keys.service))).body.data!.savedScene.nodes).toBe(2);

    const replaced = await gql(app, SAVE, { name, scene: sceneJson({ consumer: true }), overwrite: true }, as(keys.service));
    expect(replaced.body.data!.saveScene).toMatchObject({ nodes: 3, edges: 2, createdAt: saved.body.data!.saveScene.createdAt });
    expect(Date.parse(replaced.body.data!.saveScene.updatedAt)).toBeGreaterThanOrEqual(Date.parse(saved.body.data!.saveScene.updatedAt));
    const list2 = (await gql(app, LIST, {}, as(keys.service))).body.data!.savedScenes.filter((s: { name: string }) => s.name === name);
    expect(list2).toHaveLength(1);

    expect((await gql(app, DELETE, { name }, as(keys.service))).body.data!.deleteScene).toBe(true);
    expect((await gql(app, OPEN, { name }, as(keys.service))).body.data!.savedScene).toBeNull();
    expect((await gql(app, DELETE, { name }, as(keys.service))).body.data!.deleteScene).toBe(false);
  });

  it('keeps each key to its own scenes: another key neither lists, opens nor deletes them', async () => {
    const name = `${ns} mine`;
    expect(codes((await gql(app, SAVE, { name, scene: sceneJson({ consumer: true }) }, as(keys.service))).body)).toEqual([]);
    const other = as(otherService);
    expect((await gql(app, LIST, {}, other)).body.data!.savedScenes.map((s: { name: string }) => s.name)).not.toContain(name);
    expect((await gql(app, OPEN, { name }, other)).body.data!.savedScene).toBeNull();
    expect((await gql(app, DELETE, { name }, other)).body.data!.deleteScene).toBe(false);
    // The other key may use the same name for a scene of its own; the first key's is unchanged.
    expect(codes((await gql(app, SAVE, { name, scene: sceneJson() }, other)).body)).toEqual([]);
    expect((await gql(app, OPEN, { name }, as(keys.service))).body.data!.savedScene.nodes).toBe(3);
    expect((await gql(app, OPEN, { name }, other)).body.data!.savedScene.nodes).toBe(2);
    // An admin key is a key of its own too, not a master key over others' scenes.
    expect((await gql(app, OPEN, { name }, as(keys.admin))).body.data!.savedScene).toBeNull();
    // What is stored names the key by its id, never the key or the keys file's hash.
    const stored = await db.read('test', `MATCH (s:${SCENE_LABEL} {name: $name}) RETURN s.owner AS owner, labels(s) AS labels`, { name });
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row.labels).toEqual([SCENE_LABEL]);
      expect([keys.service, otherService, hashKey(keys.service), hashKey(otherService)]).not.toContain(row.owner);
    }
  });

  it('tells an anonymous caller (the local default) that a key is needed', async () => {
    for (const [query, variables] of [[LIST, {}], [OPEN, { name: 'x' }], [SAVE, { name: 'x', scene: sceneJson() }], [DELETE, { name: 'x' }]] as const) {
      const res = await gql(localApp, query, variables);
      expect(codes(res.body), query).toEqual(['UNAUTHENTICATED']);
      expect(res.body.errors![0]!.message).toMatch(/belong to an API key.*Authorization: Bearer KEY/);
    }
    // The rest of the API still answers the anonymous caller.
    expect(codes((await gql(localApp, '{ stats { nodeCount } }')).body)).toEqual([]);
  });

  it('refuses bad names and scenes with a message saying what and where, storing nothing', async () => {
    const bad = async (name: string, scene: string, pattern: RegExp) => {
      const res = await gql(app, SAVE, { name, scene }, as(keys.admin));
      expect(codes(res.body), pattern.source).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.message).toMatch(pattern);
    };
    await bad('   ', sceneJson(), /name: a saved scene needs a name/);
    await bad('x'.repeat(sceneLimits.nameChars + 1), sceneJson(), /name: at most 80 characters; got 81/);
    await bad('two\nlines', sceneJson(), /name: control characters/);
    await bad(`${ns} bad`, '{"format": "kg-explorer-scene", ', /^scene: not JSON \(/);
    await bad(`${ns} bad`, JSON.stringify({ format: 'bloom-perspective', version: 1, nodes: [], edges: [] }), /^scene\.format: .*kg-explorer-scene/);
    await bad(`${ns} bad`, JSON.stringify({ format: 'kg-explorer-scene', version: 2, nodes: [], edges: [] }), /^scene\.version:/);
    const noKey = JSON.parse(sceneJson()) as { nodes: Record<string, unknown>[] };
    delete noKey.nodes[1]!.key;
    await bad(`${ns} bad`, JSON.stringify(noKey), /^scene\.nodes\[1\]\.key: /);
    const nanX = sceneJson().replace('"x":110', '"x":"far"');
    await bad(`${ns} bad`, nanX, /^scene\.nodes\[1\]\.x: /);
    // Over the byte cap (a Chinese name is 3 bytes a character): refused before parsing.
    const huge = sceneJson({ extra: { pad: '露'.repeat(Math.ceil(sceneLimits.sceneBytes / 3) + 10) } });
    const res = await gql(app, SAVE, { name: `${ns} huge`, scene: huge }, as(keys.admin));
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors![0]!.message).toMatch(/bytes of JSON; at most 1,000,000/);
    expect((await gql(app, LIST, {}, as(keys.admin))).body.data!.savedScenes.filter((s: { name: string }) => s.name.startsWith(ns))).toEqual([]);
  });

  it('drops what is not part of the scene format before storing it', async () => {
    const name = `${ns} extras`;
    const withExtra = sceneJson({ extra: { secret: 'not a scene part' } }).replace('"x":10,', '"x":10,"password":"hunter2",');
    expect(codes((await gql(app, SAVE, { name, scene: withExtra }, as(keys.admin))).body)).toEqual([]);
    const stored = (await gql(app, OPEN, { name }, as(keys.admin))).body.data!.savedScene.scene as string;
    expect(stored).not.toMatch(/secret|hunter2/);
    expect(JSON.parse(stored).nodes).toHaveLength(2);
  });

  it('saves one scene when a key saves the same new name ten times at once', async () => {
    const name = `${ns} race`;
    const all = await Promise.all(Array.from({ length: 10 }, () => gql(app, SAVE, { name, scene: sceneJson() }, as(otherService))));
    const outcome = all.map((r) => codes(r.body)[0] ?? 'ok').sort();
    expect(outcome).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'ok']);
    expect(await db.read('test', `MATCH (s:${SCENE_LABEL} {name: $name}) RETURN count(s) AS n`, { name })).toEqual([{ n: 1 }]);
  });

  it(`holds at most ${sceneLimits.scenesPerKey} scenes a key; a replacement still works at the cap`, { timeout: 120_000 }, async () => {
    const key = as(capped);
    const small = sceneJson();
    for (let i = 0; i < sceneLimits.scenesPerKey; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => gql(app, SAVE, { name: `${ns} #${i + j}`, scene: small }, key)));
      expect(batch.flatMap((r) => codes(r.body))).toEqual([]);
    }
    const over = await gql(app, SAVE, { name: `${ns} one too many`, scene: small }, key);
    expect(codes(over.body)).toEqual(['BAD_USER_INPUT']);
    expect(over.body.errors![0]!.message).toMatch(/already holds 200 saved scenes.*delete one first/);
    expect(codes((await gql(app, SAVE, { name: `${ns} #7`, scene: small, overwrite: true }, key)).body)).toEqual([]);
    expect((await gql(app, LIST, {}, key)).body.data!.savedScenes).toHaveLength(sceneLimits.scenesPerKey);
    expect((await gql(app, DELETE, { name: `${ns} #0` }, key)).body.data!.deleteScene).toBe(true);
    expect(codes((await gql(app, SAVE, { name: `${ns} one too many`, scene: small }, key)).body)).toEqual([]);
  });

  it('lets a reader key store and get back no individual consumer', async () => {
    const reader = as(keys.reader);
    const name = `${ns} reader`;
    const refused = await gql(app, SAVE, { name, scene: sceneJson({ consumer: true }) }, reader);
    expect(codes(refused.body)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors![0]!.message).toMatch(/scene\.nodes\[2\] names an individual consumer.*service role/);
    // An edge to a consumer left out of the nodes is refused too.
    const edgeOnly = JSON.parse(sceneJson()) as { edges: Record<string, unknown>[] };
    edgeOnly.edges.push({ source: `Consumer:${ns}-c9`, target: `Product:${ns}-tent`, relation: 'PURCHASED', weight: 1 });
    expect(codes((await gql(app, SAVE, { name, scene: JSON.stringify(edgeOnly) }, reader)).body)).toEqual(['FORBIDDEN']);
    expect((await gql(app, OPEN, { name }, reader)).body.data!.savedScene).toBeNull();
    // The stand-in a reader's paths show for a consumer names nobody: allowed.
    const withheld = JSON.parse(sceneJson()) as { nodes: Record<string, unknown>[] };
    withheld.nodes.push({ key: 'Consumer:withheld', id: 'withheld', type: 'Consumer', name: 'a consumer', nameEn: 'a consumer', properties: null });
    expect(codes((await gql(app, SAVE, { name, scene: JSON.stringify(withheld) }, reader)).body)).toEqual([]);
    expect((await gql(app, OPEN, { name }, reader)).body.data!.savedScene.nodes).toBe(3);
  });

  it('withholds the consumers of a scene saved while the key was service once the key is a reader', async () => {
    const key = addKey(keysFile, `lowered-${ns}`, 'service');
    owners.push(keyIdOf(hashKey(key)));
    const name = `${ns} lowered`;
    // Keys are read when an app is made: one that knows the new key as service.
    const serviceApp = createApp({ db, config: testConfig({ host: '0.0.0.0', apiKeysFile: keysFile }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
    apps.push(serviceApp);
    expect(codes((await gql(serviceApp, SAVE, { name, scene: sceneJson({ consumer: true }) }, as(key))).body)).toEqual([]);
    // The same key (same hash) with its role lowered to reader in the keys file.
    const lowered = JSON.parse(readFileSync(keysFile, 'utf8')) as { keys: { name: string; role: string }[] };
    lowered.keys.find((k) => k.name === `lowered-${ns}`)!.role = 'reader';
    const loweredFile = `${keysFile}.lowered.json`;
    writeFileSync(loweredFile, JSON.stringify(lowered));
    const loweredApp = createApp({ db, config: testConfig({ host: '0.0.0.0', apiKeysFile: loweredFile }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
    apps.push(loweredApp);
    const opened = await gql(loweredApp, OPEN, { name }, as(key));
    const file = JSON.parse(opened.body.data!.savedScene.scene) as { nodes: { type: string }[]; edges: { relation: string }[] };
    expect(file.nodes.map((n) => n.type)).toEqual(['Product', 'Interest']);
    expect(file.edges.map((e) => e.relation)).toEqual(['RELATES_TO']);
    expect(opened.body.data!.savedScene.scene).not.toContain(`${ns}-c1`);
  });

  it('keeps saved scenes out of search and entity lookup: they are no Entity (what stats count)', async () => {
    const word = `${ns.replace(/_/g, '')}zebrascene`;
    expect(codes((await gql(app, SAVE, { name: word, scene: sceneJson() }, as(keys.admin))).body)).toEqual([]);
    const search = await gql(app, 'query($q: String!) { search(query: $q) { key } }', { q: word }, as(keys.admin));
    expect(search.body.data!.search).toEqual([]);
    const entity = await gql(app, 'query($id: ID!) { entity(id: $id) { key } }', { id: word }, as(keys.admin));
    expect(codes(entity.body)).toEqual(['NOT_FOUND']);
    const labels = await db.read('test', `MATCH (s:${SCENE_LABEL} {name: $word}) RETURN labels(s) AS labels, s:Entity AS entity`, { word });
    expect(labels).toEqual([{ labels: [SCENE_LABEL], entity: false }]);
    const owner = await db.read('test', `MATCH (o:${SCENE_OWNER_LABEL} {id: $id}) RETURN o:Entity AS entity`, { id: keyIdOf(hashKey(keys.admin)) });
    expect(owner).toEqual([{ entity: false }]);
  });
});
