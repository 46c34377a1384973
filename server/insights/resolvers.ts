import DataLoader from 'dataloader';
import { demandLinks, type DemandLinkReport } from './demand-links.js';
import type { DemandLinkSort } from './metrics.js';
import { productOpportunities } from './opportunities.js';
import { strongestPaths } from './paths.js';
import { listSegments, segmentsOfKeys, type SegmentSummary } from './segment-lookup.js';
import { isoOrNull, readFreshness, type Freshness } from './freshness.js';
import { risingInterests, trend, type Period, type PeriodFigures } from './trends.js';
import type { ApiContext } from '../context.js';
import type { EntityShape } from '../graph/entity.js';
import { badInput } from '../core/errors.js';
import { checkInteger, domainLimits, timestampProblem } from '../core/limits.js';

/** A time argument: Unix seconds or ISO-8601. */
export function parseTime(value: string | null | undefined, name: string): number | null {
  if (value == null || value === '') return null;
  const numeric = /^-?\d+(\.\d+)?$/.test(value.trim());
  const seconds = numeric ? Number(value) : Date.parse(value) / 1000;
  if (Number.isNaN(seconds)) throw badInput(`${name}: "${value}" is neither ISO-8601 nor Unix seconds`);
  // The loader's range: beyond it no link exists, and a date past year 275 760 cannot be shown.
  const problem = timestampProblem(seconds);
  if (problem) throw badInput(`${name}: "${value}": ${problem}`);
  return seconds;
}

function parsePeriod(p: { from: string; to: string } | null | undefined, name: string): Period | null {
  if (!p) return null;
  const from = parseTime(p.from, `${name}.from`)!;
  const to = parseTime(p.to, `${name}.to`)!;
  if (from >= to) throw badInput(`${name}: from must be before to`);
  return { from, to };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const periodOut = (f: PeriodFigures | Period) => ({ ...f, from: iso(f.from), to: iso(f.to) });

/** Segment of an entity key, batched per request. */
const segmentOfKey = (ctx: ApiContext) => ctx.loaders.scoped('insights.segmentOfKey', () => new DataLoader((keys: readonly string[]) => segmentsOfKeys(ctx.db, keys)));

/** The derived values' stamps, read once per request. */
const freshnessOf = (ctx: ApiContext): Promise<Freshness> => ctx.loaders.scoped('insights.freshness', () => readFreshness(ctx.db));

/** Every segment by id, read once per request. */
function segmentById(ctx: ApiContext, id: number): Promise<SegmentSummary | null> {
  const all = ctx.loaders.scoped('insights.segments', () =>
    listSegments(ctx.db, ctx.vocabulary, { kAnonymity: ctx.config.kAnonymity, first: 10_000 }).then((list) => new Map(list.map((s) => [s.id, s]))),
  );
  return all.then((m) => m.get(id) ?? null);
}

interface DemandArgs {
  id: string;
  type?: string | null;
  targetType?: string | null;
  first?: number;
  sortBy?: DemandLinkSort;
  minSupport?: number | null;
}
interface OpportunityArgs {
  first?: number;
  minConsumers?: number | null;
  subtree?: string | null;
  involving?: string[] | null;
  since?: string | null;
  until?: string | null;
}

const demandReport = (args: DemandArgs, ctx: ApiContext) =>
  demandLinks(ctx.db, ctx.vocabulary, {
    ...args,
    minSupport: args.minSupport ?? undefined,
    kAnonymity: ctx.config.kAnonymity,
    pseudonymSecret: ctx.config.pseudonymSecret,
  });

const opportunityReport = (args: OpportunityArgs, ctx: ApiContext) =>
  productOpportunities(ctx.db, ctx.vocabulary, {
    ...args,
    since: parseTime(args.since, 'since'),
    until: parseTime(args.until, 'until'),
    kAnonymity: ctx.config.kAnonymity,
    pseudonymSecret: ctx.config.pseudonymSecret,
  });

const segmentIdArg = (id: string) => {
  const n = Number(String(id).replace(/^Segment:/, ''));
  if (!Number.isInteger(n) || n < 1) throw badInput(`segment id "${id}" must be a positive integer`);
  return n;
};

export const insightsResolvers = {
  Query: {
    demandLinks: async (_: unknown, args: DemandArgs, ctx: ApiContext) => (await demandReport(args, ctx)).links,
    demandLinkReport: (_: unknown, args: DemandArgs, ctx: ApiContext) => demandReport(args, ctx),
    paths: (_: unknown, args: { from: string; fromType?: string; to: string; toType?: string; maxLength?: number; first?: number }, ctx: ApiContext) =>
      strongestPaths(ctx.db, ctx.vocabulary, { ...args, pseudonymSecret: ctx.config.pseudonymSecret, minConsumerGroup: ctx.seesConsumers ? 0 : ctx.config.kAnonymity }),
    productOpportunities: async (_: unknown, args: OpportunityArgs, ctx: ApiContext) => (await opportunityReport(args, ctx)).opportunities,
    opportunityReport: async (_: unknown, args: OpportunityArgs, ctx: ApiContext) => {
      const answeredAt = Date.now();
      const r = await opportunityReport(args, ctx);
      // A windowed answer is computed live from the graph: as fresh as the moment it was asked.
      const refreshedAt = r.live ? answeredAt : (await freshnessOf(ctx)).insights;
      return { ...r, computedAt: r.computedAt ? new Date(r.computedAt).toISOString() : null, refreshedAt: isoOrNull(refreshedAt) };
    },
    segments: (_: unknown, args: { first?: number }, ctx: ApiContext) => {
      const first = args.first ?? 50;
      checkInteger('first', first, 1, domainLimits.segmentsFirst);
      return listSegments(ctx.db, ctx.vocabulary, { kAnonymity: ctx.config.kAnonymity, first });
    },
    segment: (_: unknown, args: { id: string }, ctx: ApiContext) => segmentById(ctx, segmentIdArg(args.id)),
    segmentOf: async (_: unknown, args: { keys: string[] }, ctx: ApiContext) => {
      const segments = await segmentsOfKeys(ctx.db, args.keys);
      return args.keys.map((key, i) => ({ key, segment: segments[i] }));
    },
    trend: async (
      _: unknown,
      args: { id: string; type?: string; targetId?: string; targetType?: string; before?: { from: string; to: string }; after?: { from: string; to: string } },
      ctx: ApiContext,
    ) => {
      const t = await trend(ctx.db, ctx.vocabulary, {
        ...args,
        before: parsePeriod(args.before, 'before'),
        after: parsePeriod(args.after, 'after'),
        kAnonymity: ctx.config.kAnonymity,
        pseudonymSecret: ctx.config.pseudonymSecret,
      });
      return { ...t, before: periodOut(t.before), after: periodOut(t.after), refreshedAt: isoOrNull((await freshnessOf(ctx)).segmentsAt) };
    },
    risingInterests: async (
      _: unknown,
      args: { first?: number; before?: { from: string; to: string }; after?: { from: string; to: string }; falling?: boolean },
      ctx: ApiContext,
    ) => {
      const r = await risingInterests(ctx.db, ctx.vocabulary, {
        first: args.first,
        before: parsePeriod(args.before, 'before'),
        after: parsePeriod(args.after, 'after'),
        kAnonymity: ctx.config.kAnonymity,
        falling: args.falling ?? false,
      });
      const period = (p: Period) => ({ ...periodOut(p), allConsumers: null, sourceConsumers: null, targetConsumers: null, support: null, confidence: null, lift: null, suppressed: false });
      return { ...r, before: period(r.before), after: period(r.after), refreshedAt: isoOrNull((await freshnessOf(ctx)).segmentsAt) };
    },
  },
  DemandLinkReport: {
    refreshedAt: async (_: DemandLinkReport, __: unknown, ctx: ApiContext) => isoOrNull((await freshnessOf(ctx)).degrees),
    segment: (r: DemandLinkReport, _: unknown, ctx: ApiContext) => (r.segment === null ? null : segmentById(ctx, r.segment)),
  },
  Segment: {
    version: async (_: SegmentSummary, __: unknown, ctx: ApiContext) => {
      const v = (await freshnessOf(ctx)).segmentsVersion;
      return v === null ? null : String(v);
    },
    refreshedAt: async (_: SegmentSummary, __: unknown, ctx: ApiContext) => isoOrNull((await freshnessOf(ctx)).segmentsAt),
  },
  SegmentShare: {
    segmentId: (s: { segment: number }) => String(s.segment),
    segment: (s: { segment: number }, _: unknown, ctx: ApiContext) => segmentById(ctx, s.segment),
  },
  Entity: {
    segment: async (e: EntityShape, _: unknown, ctx: ApiContext) => {
      const s = await segmentOfKey(ctx).load(e.key);
      return s === null ? null : String(s);
    },
  },
};
