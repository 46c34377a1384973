import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { badInput, DomainError } from '../core/errors.js';
import { sceneLimits } from '../core/limits.js';
import type { Database } from '../db/neo4j.js';
import { sceneSchemaStatements } from '../graph/schema-statements.js';
import { DELETE_SCENE, LIST_SCENES, READ_SCENE, SAVE_SCENE } from './queries.js';

/** A saved scene as the API shows it; `scene` only when read one by one. */
export interface SavedScene {
  name: string;
  scene?: string;
  bytes: number;
  nodes: number;
  edges: number;
  createdAt: string;
  updatedAt: string;
}

// The consumer type and the stand-in a reader's paths show instead of a consumer
// (server/auth/reader-view.ts): the stand-in names nobody, so a reader's scene may hold it.
const CONSUMER = 'Consumer';
const WITHHELD_KEY = `${CONSUMER}:withheld`;

const text = (max: number) => z.string().max(max);
const finite = z.number().finite();
// The explorer's export format (web/src/graph/scene.ts, SceneFile). Unknown keys are dropped:
// what is stored is the scene and nothing else a client might attach.
const sceneNode = z.object({
  key: text(1_100).min(1),
  id: text(1_100).nullish(),
  type: text(100).min(1),
  name: text(4_100).nullish(),
  nameEn: text(4_100).nullish(),
  properties: text(20_000).nullish(),
  x: finite.optional(),
  y: finite.optional(),
});
const sceneEdge = z.object({
  source: text(1_100).min(1),
  target: text(1_100).min(1),
  relation: text(100).min(1),
  weight: finite.optional(),
  derived: z.boolean().optional(),
  label: text(200).optional(),
  firstTs: finite.nullish(),
  lastTs: finite.nullish(),
});
const sceneFile = z.object({
  format: z.literal('kg-explorer-scene'),
  version: z.literal(1),
  nodes: z.array(sceneNode).max(sceneLimits.sceneNodes),
  edges: z.array(sceneEdge).max(sceneLimits.sceneNodes * 4),
  settings: z
    .object({
      filter: z.record(z.string(), z.unknown()).optional(),
      colorBy: text(40).optional(),
      sizeBy: text(40).optional(),
      layout: text(40).optional(),
    })
    .optional(),
});
type SceneFile = z.infer<typeof sceneFile>;

/** A scene name: trimmed, 1 to `nameChars` characters, no control characters. */
export function checkSceneName(raw: string): string {
  const name = raw.trim();
  if (!name) throw badInput('name: a saved scene needs a name (got an empty one).', { argument: 'name' });
  if ([...name].length > sceneLimits.nameChars) {
    throw badInput(`name: at most ${sceneLimits.nameChars} characters; got ${[...name].length}.`, { argument: 'name', max: sceneLimits.nameChars });
  }
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badInput('name: control characters (line breaks, tabs) are not allowed.', { argument: 'name' });
  return name;
}

const isConsumerKey = (key: string | null | undefined) => typeof key === 'string' && key.startsWith(`${CONSUMER}:`) && key !== WITHHELD_KEY;
const isConsumerNode = (n: { key: string; type: string }) => (n.type === CONSUMER && n.key !== WITHHELD_KEY) || isConsumerKey(n.key);

/**
 * Parses and checks a scene (size, JSON, the export format); for a caller who may not see
 * consumers, a scene naming one is refused. Returns the normalised scene.
 */
export function checkScene(raw: string, seesConsumers: boolean): { file: SceneFile; json: string } {
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > sceneLimits.sceneBytes) {
    throw badInput(`scene: ${bytes.toLocaleString('en')} bytes of JSON; at most ${sceneLimits.sceneBytes.toLocaleString('en')} are allowed (export bigger scenes as a file).`, {
      argument: 'scene',
      max: sceneLimits.sceneBytes,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw badInput(`scene: not JSON (${(error as Error).message}).`, { argument: 'scene' });
  }
  const parsed = sceneFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw badInput(`scene${at}: ${issue.message} (the explorer's scene export, format "kg-explorer-scene" version 1, is expected).`, { argument: 'scene', path: at });
  }
  const file = parsed.data;
  if (!seesConsumers) {
    const n = file.nodes.findIndex(isConsumerNode);
    const e = file.edges.findIndex((x) => isConsumerKey(x.source) || isConsumerKey(x.target));
    if (n >= 0 || e >= 0) {
      const where = n >= 0 ? `nodes[${n}]` : `edges[${e}]`;
      throw new DomainError('FORBIDDEN', `scene.${where} names an individual consumer: per-consumer data needs the service role; a reader's scenes hold products, interests and aggregates only.`, { argument: 'scene', path: where });
    }
  }
  return { file, json: JSON.stringify(file) };
}

/** The scene without individual consumers (a key whose role was lowered since it saved them). */
function withoutConsumers(json: string): string {
  const file = JSON.parse(json) as SceneFile;
  const nodes = file.nodes.filter((n) => !isConsumerNode(n));
  if (nodes.length === file.nodes.length) return json;
  const keys = new Set(nodes.map((n) => n.key));
  return JSON.stringify({ ...file, nodes, edges: file.edges.filter((e) => keys.has(e.source) && keys.has(e.target)) });
}

/** The calling key's id; anonymous callers have none and are told that saved scenes need a key. */
function ownerOf(ctx: ApiContext): string {
  if (ctx.caller.keyId) return ctx.caller.keyId;
  throw new DomainError(
    'UNAUTHENTICATED',
    'Saved scenes on the server belong to an API key, and this request has none: send Authorization: Bearer KEY (the explorer keeps scenes in the browser instead).',
  );
}

const ensured = new WeakMap<Database, Promise<void>>();
/** The scene constraints, once per database handle (a graph loaded before they existed lacks them). */
function ensureSceneSchema(db: Database): Promise<void> {
  let done = ensured.get(db);
  if (!done) {
    done = (async () => {
      for (const statement of sceneSchemaStatements) await db.autoCommit('scenes-schema', statement);
    })();
    done.catch(() => ensured.delete(db));
    ensured.set(db, done);
  }
  return done;
}

const iso = (ms: unknown) => new Date(Number(ms)).toISOString();
const toScene = (r: Record<string, unknown>): SavedScene => ({
  name: String(r.name),
  ...(typeof r.scene === 'string' ? { scene: r.scene } : {}),
  bytes: Number(r.bytes),
  nodes: Number(r.nodes),
  edges: Number(r.edges),
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

/** The calling key's scenes, most recently saved first (without their JSON). */
export async function listScenes(ctx: ApiContext): Promise<SavedScene[]> {
  const rows = await ctx.db.read('savedScenes', LIST_SCENES, { owner: ownerOf(ctx) });
  return rows.map(toScene);
}

/** One scene of the calling key, or null. */
export async function readScene(ctx: ApiContext, rawName: string): Promise<SavedScene | null> {
  const name = checkSceneName(rawName);
  const [row] = await ctx.db.read('savedScene', READ_SCENE, { owner: ownerOf(ctx), name });
  if (!row) return null;
  const scene = toScene(row);
  if (!ctx.seesConsumers && scene.scene) scene.scene = withoutConsumers(scene.scene);
  return scene;
}

/**
 * Saves a scene under a name for the calling key. An existing name is replaced only with
 * `overwrite`; a key holds at most `scenesPerKey` scenes. Nothing is written on refusal.
 */
export async function saveScene(ctx: ApiContext, args: { name: string; scene: string; overwrite?: boolean | null }): Promise<SavedScene> {
  const owner = ownerOf(ctx);
  const name = checkSceneName(args.name);
  const { file, json } = checkScene(args.scene, ctx.seesConsumers);
  await ensureSceneSchema(ctx.db);
  const now = Date.now();
  const bytes = Buffer.byteLength(json, 'utf8');
  const [row] = await ctx.db.write('saveScene', SAVE_SCENE, {
    owner, name, scene: json, bytes, nodes: file.nodes.length, edges: file.edges.length, now, overwrite: args.overwrite === true, maxScenes: sceneLimits.scenesPerKey,
  });
  const status = String(row?.status);
  if (status === 'exists') throw badInput(`name: a scene named "${name}" is already saved; pass overwrite: true to replace it.`, { argument: 'name' });
  if (status === 'full') {
    throw badInput(`This key already holds ${sceneLimits.scenesPerKey} saved scenes, the most one key may; delete one first.`, { argument: 'name', max: sceneLimits.scenesPerKey });
  }
  return { name, scene: json, bytes, nodes: file.nodes.length, edges: file.edges.length, createdAt: iso(row!.createdAt), updatedAt: iso(now) };
}

/** Deletes a scene of the calling key; false when it has none of that name (another key's is never touched). */
export async function deleteScene(ctx: ApiContext, rawName: string): Promise<boolean> {
  const owner = ownerOf(ctx);
  const name = checkSceneName(rawName);
  const [row] = await ctx.db.write('deleteScene', DELETE_SCENE, { owner, name });
  return Number(row?.deleted ?? 0) > 0;
}

/** The JSON of a listed scene, read when asked for. */
export async function sceneJson(ctx: ApiContext, scene: SavedScene): Promise<string> {
  if (scene.scene !== undefined) return scene.scene;
  const full = await readScene(ctx, scene.name);
  if (!full?.scene) throw new DomainError('NOT_FOUND', `The scene "${scene.name}" was deleted meanwhile.`);
  return full.scene;
}
