import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import type { Touched } from '../refresh/pipeline.js';
import { components, identifierCap, type Person } from './identity.js';
import {
  CROWDED_NEIGHBOURS,
  DROP_ORPHAN_IDENTIFIERS,
  expandConsumers,
  READ_CONSUMERS,
  READ_SHARED_IDENTIFIERS,
  readIdentityPairs,
  WRITE_PERSONS,
} from './queries.js';

/*
 * The identity precompute step: every Consumer gets `person` (its component's id) and
 * `personIds` (the component's size), components being connected over the identity relations
 * and shared, uncrowded identifiers. The full run reads the links once and unions in memory;
 * the incremental update walks out from the touched consumers only. Both write only the
 * consumers whose values changed and report them, so later steps recount what they hold.
 */

/** Rows per write transaction of changed persons. */
const WRITE_BATCH = 10_000;
/** Consumers per step of the incremental walk's reads. */
const EXPAND_BATCH = 2_000;
/** An incremental walk that reaches more consumers than this gives way to the full run. */
export const UPDATE_MAX_CONSUMERS = 200_000;

/** What a run changed. */
export interface IdentityResult {
  /** Consumers (stored ids) whose person or size changed. */
  changed: string[];
  /** Consumers the run looked at (all of them in a full run, the walk's reach in an update). */
  visited: number;
}

interface Stored {
  person: string | null;
  n: number | null;
}

async function writeChanged(db: Database, computed: Map<string, Person>, stored: Map<string, Stored>): Promise<string[]> {
  const rows: { id: string; person: string; n: number }[] = [];
  for (const [id, p] of computed) {
    const s = stored.get(id);
    if (!s || s.person !== p.person || s.n !== p.n) rows.push({ id, person: p.person, n: p.n });
  }
  for (let i = 0; i < rows.length; i += WRITE_BATCH) {
    await db.write('identity-write-persons', WRITE_PERSONS, { rows: rows.slice(i, i + WRITE_BATCH) });
  }
  return rows.map((r) => r.id);
}

/** The full run: components over all identity links and shared identifiers; writes what changed. */
export async function runIdentity(db: Database, vocabulary: Vocabulary): Promise<IdentityResult> {
  await db.autoCommit('identity-drop-orphans', DROP_ORPHAN_IDENTIFIERS);
  const max = identifierCap(vocabulary);
  const stored = new Map<string, Stored>();
  for (const r of await db.read('identity-consumers', READ_CONSUMERS)) {
    stored.set(String(r.id), { person: (r.person as string | null) ?? null, n: r.n === null || r.n === undefined ? null : Number(r.n) });
  }
  const pairs = (await db.read('identity-pairs', readIdentityPairs(vocabulary))).map((r) => [String(r.a), String(r.b)] as const);
  const groups = (await db.read('identity-shared-identifiers', READ_SHARED_IDENTIFIERS, { max })).map((r) => r.ids as string[]);
  const computed = components([...stored.keys()], pairs, groups);
  const changed = await writeChanged(db, computed, stored);
  return { changed, visited: stored.size };
}

/** The step's full run (`precomputeSteps`). */
export async function refreshIdentity(db: Database, vocabulary: Vocabulary): Promise<void> {
  await runIdentity(db, vocabulary);
}

/**
 * The incremental update: from the touched consumers, a walk over their current links and
 * their current persons' other members (a link may have gone, splitting a person) until no new
 * consumer turns up; that closed set's components are recomputed exactly as a full run would
 * and the changes written. A walk past UPDATE_MAX_CONSUMERS runs the full step instead.
 */
export async function updateIdentityRun(db: Database, vocabulary: Vocabulary, touched: Touched, maxConsumers = UPDATE_MAX_CONSUMERS): Promise<IdentityResult> {
  const seeds = [...new Set(touched.consumers.filter((k) => k.startsWith('Consumer:')).map((k) => k.slice('Consumer:'.length)))];
  if (seeds.length === 0) return { changed: [], visited: 0 };
  const max = identifierCap(vocabulary);
  const expand = expandConsumers(vocabulary);
  const stored = new Map<string, Stored>();
  const links = new Map<string, string[]>();
  const queued = new Set<string>(seeds);
  for (let i = 0; i < seeds.length; i += EXPAND_BATCH) {
    for (const r of await db.read('identity-crowded-neighbours', CROWDED_NEIGHBOURS, { ids: seeds.slice(i, i + EXPAND_BATCH), max })) {
      for (const id of r.ids as string[]) queued.add(id);
    }
  }
  let frontier = [...queued];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += EXPAND_BATCH) {
      const rows = await db.read('identity-expand', expand, { ids: frontier.slice(i, i + EXPAND_BATCH), max });
      for (const r of rows) {
        const id = String(r.id);
        stored.set(id, { person: (r.person as string | null) ?? null, n: r.n === null || r.n === undefined ? null : Number(r.n) });
        const linked = r.links as string[];
        links.set(id, linked);
        for (const d of [...linked, ...(r.mates as string[])]) {
          if (!queued.has(d)) {
            queued.add(d);
            next.push(d);
          }
        }
      }
    }
    if (queued.size > maxConsumers) return runIdentity(db, vocabulary);
    frontier = next;
  }
  const pairs = function* () {
    for (const [a, ds] of links) for (const b of ds) yield [a, b] as const;
  };
  const computed = components([...stored.keys()], pairs(), []);
  const changed = await writeChanged(db, computed, stored);
  return { changed, visited: stored.size };
}

/** The step's `update`: the consumers whose person changed go on to the later steps as touched. */
export async function updateIdentity(db: Database, vocabulary: Vocabulary, touched: Touched): Promise<Touched> {
  const { changed } = await updateIdentityRun(db, vocabulary, touched);
  return { consumers: changed.map((id) => `Consumer:${id}`), entities: [] };
}
