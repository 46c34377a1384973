import { ingestRows } from './load.js';
import type { RawRecord } from './types.js';
import type { ApiContext } from '../context.js';
import { badInput, DomainError } from '../core/errors.js';
import { IngestLockedError } from './lock.js';
import { domainLimits } from '../core/limits.js';

/** Source of API rows that name none. */
export const API_SOURCE = 'api';
/** How long an ingestTriples call waits for another load to finish before it answers TIMEOUT. */
const INGEST_LOCK_WAIT_MS = 10_000;

interface TripleInput {
  subject: string;
  subjectType: string;
  relation: string;
  object: string;
  objectType: string;
  weight?: number | null;
  timestamp?: string | null;
  source?: string | null;
}

interface EntityInput {
  id: string;
  type: string;
  name?: string | null;
  properties?: { key: string; value: string }[] | null;
}

/** Turns API input into the loader's records; `line` is the 1-based position in its list. */
function toRecords(triples: TripleInput[], entities: EntityInput[]): RawRecord[] {
  const records: RawRecord[] = entities.map((e, i) => ({
    kind: 'entity',
    file: 'entities',
    line: i + 1,
    defaultSource: API_SOURCE,
    fields: {
      ...Object.fromEntries((e.properties ?? []).map((p) => [p.key, p.value])),
      id: e.id,
      type: e.type,
      name: e.name ?? undefined,
    },
  }));
  triples.forEach((t, i) =>
    records.push({
      kind: 'triple',
      file: 'triples',
      line: i + 1,
      defaultSource: API_SOURCE,
      fields: {
        subject: t.subject,
        subject_type: t.subjectType,
        relation: t.relation,
        object: t.object,
        object_type: t.objectType,
        weight: t.weight === null || t.weight === undefined ? undefined : String(t.weight),
        timestamp: t.timestamp ?? undefined,
        source: t.source ?? undefined,
      },
    }),
  );
  return records;
}

export const ingestResolvers = {
  Mutation: {
    ingestTriples: async (_: unknown, args: { triples: TripleInput[]; entities?: EntityInput[] | null }, ctx: ApiContext) => {
      const entities = args.entities ?? [];
      const total = args.triples.length + entities.length;
      if (total > domainLimits.ingestRows) {
        throw badInput(`ingestTriples accepts at most ${domainLimits.ingestRows} rows (triples plus entities) per request, got ${total}; split the request or use npm run load for files`,
        );
      }
      // Loads are exclusive (server/ingest/lock.ts): a call queues behind a running load for a
      // while, then refuses rather than outlive the request timeout.
      const { summary, rejects, touched } = await ingestRows(ctx.db, ctx.vocabulary, toRecords(args.triples, entities), {
        pseudonymSecret: ctx.config.pseudonymSecret,
        log: (line) => ctx.logger.warn(line),
        lock: { waitMs: INGEST_LOCK_WAIT_MS },
        incrementalMaxRows: ctx.config.refresh?.incrementalMaxRows,
      }).catch((error: unknown) => {
        if (error instanceof IngestLockedError) throw new DomainError('TIMEOUT', `ingestTriples: ${error.message}`);
        throw error;
      });
      // Derived values follow in the background: the touched keys' values by their incremental
      // update (seconds), or a full refresh for a write too large for it.
      if (summary.loaded > 0) void (touched ? ctx.updateInBackground(touched) : ctx.refreshInBackground());
      ctx.logger.info({ read: summary.read, loaded: summary.loaded, rejected: summary.rejected }, 'ingestTriples');
      return {
        ...summary,
        errors: rejects.slice(0, domainLimits.ingestErrors).map((r) => `${r.file}[${r.line - 1}] ${r.field}: ${r.reason}`),
      };
    },
  },
};
