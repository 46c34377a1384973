import type { Database } from '../../db/neo4j.js';
import { withIndexes, type RecommendModel } from './model.js';
import { CREATE_MODEL, DROP_MODEL, DROP_OLD_MODELS, PUBLISH_MODEL, READ_MODEL, READ_SERVED_VERSION, WRITE_MODEL_PART } from './queries.js';

/** Products a `:KgModelPart` holds: ~50,000 list entries a node at 100 neighbours each. */
export const partSize = 500;

const long = { timeoutMs: 1_800_000 };

/**
 * Writes `model` as a new version and then publishes it: parts first, then one transaction
 * marks it complete and points `KgMeta {key: 'recommend'}.model` at it, so a process reading
 * the pointer always finds a whole model. Versions older than the previous one are removed.
 * With `base`, it is published only if `base` is still the served version; false (and the
 * written version removed) when it is not.
 */
export async function storeModel(db: Database, m: RecommendModel, o: { base?: string; log?: (line: string) => void } = {}): Promise<boolean> {
  const parts = Math.ceil(m.items.length / partSize);
  await db.write('model-create', CREATE_MODEL, {
    version: m.version,
    builtAt: m.builtAt,
    parts,
    weights: JSON.stringify(m.weights),
    info: JSON.stringify(m.info),
    revisitViewed: m.revisitViewed,
    interests: m.interests,
    interestNames: m.interestNames,
    tPtr: [...m.interestItems.ptr],
    tNbr: [...m.interestItems.nbr],
    tW: [...m.interestItems.w],
    interestNamesEn: m.interestNamesEn,
    relNames: m.relNames,
    nPtr: [...m.narrower.ptr],
    nIdx: [...m.narrower.idx],
    nRel: [...m.narrower.rel],
    bPtr: [...m.broader.ptr],
    bIdx: [...m.broader.idx],
    bRel: [...m.broader.rel],
  }, long);
  for (let seq = 0; seq < parts; seq++) {
    const from = seq * partSize;
    const to = Math.min(m.items.length, from + partSize);
    const c0 = m.collab.ptr[from]!;
    const i0 = m.itemInterests.ptr[from]!;
    const s0 = m.similar.ptr[from]!;
    await db.write('model-part', WRITE_MODEL_PART, {
      version: m.version,
      seq,
      ids: m.items.slice(from, to),
      names: m.names.slice(from, to),
      namesEn: m.namesEn.slice(from, to),
      props: m.props.slice(from, to),
      consumers: [...m.consumers.subarray(from, to)],
      pool: m.poolExposure ? [...m.poolExposure.subarray(from, to)] : null,
      cPtr: [...m.collab.ptr.subarray(from, to + 1)].map((p) => p - c0),
      cNbr: [...m.collab.nbr.subarray(c0, m.collab.ptr[to]!)],
      cW: [...m.collab.w.subarray(c0, m.collab.ptr[to]!)],
      iPtr: [...m.itemInterests.ptr.subarray(from, to + 1)].map((p) => p - i0),
      iIdx: [...m.itemInterests.idx.subarray(i0, m.itemInterests.ptr[to]!)],
      sPtr: [...m.similar.ptr.subarray(from, to + 1)].map((p) => p - s0),
      sNbr: [...m.similar.nbr.subarray(s0, m.similar.ptr[to]!)],
      sW: [...m.similar.w.subarray(s0, m.similar.ptr[to]!)],
      sRel: [...m.similar.rel.subarray(s0, m.similar.ptr[to]!)],
    }, long);
    o.log?.(`model ${m.version}: stored part ${seq + 1} of ${parts}`);
  }
  const published = await db.write('model-publish', PUBLISH_MODEL, { version: m.version, base: o.base ?? null }, long);
  if (!published.length) {
    if (o.base !== undefined) {
      await db.write('model-drop-unpublished', DROP_MODEL, { version: m.version }, long);
      return false;
    }
    throw new Error(`model ${m.version} was not published: parts missing`);
  }
  await db.write('model-drop-old', DROP_OLD_MODELS, {}, long);
  return true;
}

/** The version `KgMeta {key: 'recommend'}` points at, or null before the first build. */
export async function servedVersion(db: Database): Promise<string | null> {
  const rows = await db.read('model-version', READ_SERVED_VERSION);
  const v = rows[0]?.version;
  return typeof v === 'string' ? v : null;
}

const ints = (v: unknown) => Int32Array.from(v as number[], Number);
const floats = (v: unknown) => Float32Array.from(v as number[], Number);

/** Reads one complete version into typed arrays; null if it is gone or incomplete. */
export async function loadModel(db: Database, version: string): Promise<RecommendModel | null> {
  const rows = await db.read('model-load', READ_MODEL, { version }, long);
  if (!rows.length) return null;
  const m = rows[0]!.model as Record<string, unknown>;
  const parts = (rows[0]!.parts as Record<string, unknown>[]).sort((a, b) => Number(a.seq) - Number(b.seq));
  if (parts.length !== Number(m.parts)) return null;
  const items: string[] = [];
  const names: string[] = [];
  const namesEn: string[] = [];
  const props: string[] = [];
  const consumers: number[] = [];
  const pool: number[] = [];
  let hasPool = true;
  const cPtr = [0];
  const cNbr: number[] = [];
  const cW: number[] = [];
  const iPtr = [0];
  const iIdx: number[] = [];
  const sPtr = [0];
  const sNbr: number[] = [];
  const sW: number[] = [];
  const sRel: number[] = [];
  for (const p of parts) {
    const ids = p.ids as string[];
    items.push(...ids);
    names.push(...(p.names as string[]));
    namesEn.push(...(p.namesEn as string[]));
    props.push(...((p.props as string[] | undefined) ?? ids.map(() => '')));
    for (const c of p.consumers as number[]) consumers.push(Number(c));
    if (Array.isArray(p.pool)) for (const x of p.pool as number[]) pool.push(Number(x));
    else hasPool = false;
    const c0 = cNbr.length;
    for (const x of (p.cPtr as number[]).slice(1)) cPtr.push(c0 + Number(x));
    for (const x of p.cNbr as number[]) cNbr.push(Number(x));
    for (const x of p.cW as number[]) cW.push(Number(x));
    const i0 = iIdx.length;
    for (const x of (p.iPtr as number[]).slice(1)) iPtr.push(i0 + Number(x));
    for (const x of p.iIdx as number[]) iIdx.push(Number(x));
    // Versions stored before the product–product lists have none (an empty row per product).
    const s0 = sNbr.length;
    const sp = (p.sPtr as number[] | undefined) ?? ids.map(() => 0).concat(0);
    for (const x of sp.slice(1)) sPtr.push(s0 + Number(x));
    for (const x of (p.sNbr as number[] | undefined) ?? []) sNbr.push(Number(x));
    for (const x of (p.sW as number[] | undefined) ?? []) sW.push(Number(x));
    for (const x of (p.sRel as number[] | undefined) ?? []) sRel.push(Number(x));
  }
  const interests = m.interests as string[];
  const noLinks = () => ({ ptr: new Int32Array(interests.length + 1), idx: new Int32Array(0), rel: new Int32Array(0) });
  return withIndexes({
    version: String(m.version),
    builtAt: String(m.builtAt),
    items,
    names,
    namesEn,
    props,
    consumers: ints(consumers),
    ...(hasPool && pool.length === items.length ? { poolExposure: floats(pool) } : {}),
    collab: { ptr: ints(cPtr), nbr: ints(cNbr), w: floats(cW) },
    itemInterests: { ptr: ints(iPtr), idx: ints(iIdx) },
    interests,
    interestNames: m.interestNames as string[],
    interestNamesEn: (m.interestNamesEn as string[] | undefined) ?? interests.map(() => ''),
    interestItems: { ptr: ints(m.tPtr), nbr: ints(m.tNbr), w: floats(m.tW) },
    narrower: m.nPtr ? { ptr: ints(m.nPtr), idx: ints(m.nIdx), rel: ints(m.nRel) } : noLinks(),
    broader: m.bPtr ? { ptr: ints(m.bPtr), idx: ints(m.bIdx), rel: ints(m.bRel) } : noLinks(),
    similar: { ptr: ints(sPtr), nbr: ints(sNbr), w: floats(sW), rel: ints(sRel) },
    relNames: (m.relNames as string[] | undefined) ?? [],
    weights: JSON.parse(String(m.weights)),
    revisitViewed: Boolean(m.revisitViewed),
    info: JSON.parse(String(m.info)),
  });
}
