import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../config.js';
import { refreshDerived, updateDerived } from '../domains.js';
import { connectNeo4j } from '../db/connect.js';
import { DatabaseUnavailableError } from '../db/errors.js';
import { applySchema } from '../graph/setup.js';
import { LoadInterruptedError } from '../ingest/batch-writer.js';
import { DEFAULT_BATCH_SIZE, loadFiles, type LoadProgress } from '../ingest/load.js';
import type { StaleReport } from '../ingest/batch-writer.js';
import { IngestLockedError } from '../ingest/lock.js';
import { createInterface } from 'node:readline/promises';
import type { LoadSummary } from '../ingest/types.js';
import { MissingToolError } from '../local-neo4j/launcher-build.js';
import { BulkImportError } from '../local-neo4j/bulk-import.js';
import { defaultLocalOptions } from '../local-neo4j/local-neo4j.js';
import { BulkRefusedError, bulkLoadFiles, type BulkSummary } from '../ingest/bulk/bulk-load.js';
import { BulkFormatError } from '../ingest/bulk/import-files.js';
import { loadStoredVocabulary, mergeVocabulary, readSchemaFile, storeVocabulary } from '../graph/stored-vocabulary.js';
import { coreVocabulary } from '../graph/vocabulary.js';

const usage =
  'usage: npm run load -- PATH... [--schema FILE] [--rejects FILE] [--batch-size N] [--dry-run] [--replace-source NAME]... [--yes] [--json] [--bulk]   (CSV/TSV[.gz], JSONL, N-Triples, Turtle files or folders)';

class UsageError extends Error {}

interface Args {
  paths: string[];
  schema?: string;
  rejects?: string;
  batchSize: number;
  dryRun: boolean;
  json: boolean;
  replaceSources: string[];
  yes: boolean;
  /** Neo4j's offline importer into the empty bundled database (server/ingest/bulk). */
  bulk: boolean;
}

function parse(argv: string[]): Args | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        schema: { type: 'string' },
        rejects: { type: 'string' },
        'batch-size': { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        'replace-source': { type: 'string', multiple: true },
        yes: { type: 'boolean', short: 'y' },
        bulk: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length === 0) throw new UsageError('give at least one PATH (a file or a folder)');
  let batchSize = DEFAULT_BATCH_SIZE;
  if (v['batch-size'] !== undefined) {
    batchSize = Number(v['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
      throw new UsageError(`--batch-size must be a whole number from 1 to 100000, not '${v['batch-size']}'`);
    }
  }
  const replaceSources = (v['replace-source'] ?? []).map((s) => s.trim());
  if (replaceSources.some((s) => !s)) throw new UsageError('--replace-source needs a source name');
  return { paths: parsed.positionals, schema: v.schema, rejects: v.rejects, batchSize, dryRun: !!v['dry-run'], json: !!v.json, replaceSources, yes: !!v.yes, bulk: !!v.bulk };
}

/**
 * The rule for deletions at the end of a load: one that deletes more relationships than the
 * load wrote needs --yes; asked on a terminal, refused with --json or without a terminal (CI).
 */
function deletionConfirmation(args: Args, log: (line: string) => void): (stale: StaleReport) => Promise<boolean> {
  return async (stale) => {
    const what = `${stale.relationships} relationship(s) and ${stale.shares} source share(s) no longer in the new delivery of ${stale.sources.slice(0, 5).join(', ')}${stale.sources.length > 5 ? ', …' : ''}`;
    if (args.yes || stale.relationships <= stale.written) {
      log(`deleting ${what}`);
      return true;
    }
    if (args.json || !process.stdin.isTTY || !process.stderr.isTTY) {
      log(`not deleting ${what}: that is more than the ${stale.written} this load wrote; rerun with --yes to delete them`);
      return false;
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`This load would delete ${what}, more than the ${stale.written} it wrote. Delete them? [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}

/** A bar on a terminal; on a pipe or file, a plain line every few seconds. Both on stderr. */
function progressReporter(quiet: boolean) {
  const started = Date.now();
  const rate = (p: LoadProgress) => Math.round(p.read / Math.max((Date.now() - started) / 1000, 0.001));
  if (quiet) return { update: () => undefined, stop: () => undefined, log: (l: string) => console.error(l) };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'loading [{bar}] {percentage}% | {read} rows | {rate} rows/s | {rejected} rejected | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let startedBar = false;
    return {
      update(p: LoadProgress) {
        const payload = { read: p.read, rate: rate(p), rejected: p.rejected };
        if (!startedBar) {
          bar.start(Math.max(p.bytesTotal, 1), p.bytesRead, payload);
          startedBar = true;
        } else bar.update(p.bytesRead, payload);
      },
      stop: () => startedBar && bar.stop(),
      log: (l: string) => console.error(l),
    };
  }
  let last = 0;
  return {
    update(p: LoadProgress) {
      if (Date.now() - last < 5_000) return;
      last = Date.now();
      const pct = p.bytesTotal ? Math.round((100 * p.bytesRead) / p.bytesTotal) : 100;
      console.error(`loading ${p.file}: ${pct}% of bytes, ${p.read} rows read, ${p.loaded} valid, ${p.rejected} rejected, ${rate(p)} rows/s`);
    },
    stop: () => undefined,
    log: (l: string) => console.error(l),
  };
}

function printSummary(s: LoadSummary | BulkSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ ...s, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
    return;
  }
  const lines = [
    `${s.dryRun ? 'dry run (nothing written)' : 'load complete'}: ${s.files} file(s)`,
    `  read ${s.read}, loaded ${s.loaded}, rejected ${s.rejected}` +
      (s.propertiesDropped ? `; ${s.propertiesDropped} consumer propert${s.propertiesDropped === 1 ? 'y' : 'ies'} not on the allow-list dropped (never stored)` : ''),
    `  entities created ${s.entitiesCreated}, updated ${s.entitiesUpdated}; relationships created ${s.relationshipsCreated}, updated ${s.relationshipsUpdated}, deleted ${s.relationshipsDeleted} (${s.sharesDropped} stale source share(s) dropped)`,
    `  ${s.seconds} s, ${s.rowsPerSecond} rows/s (then ${s.derivedSeconds} s refreshing derived values)`,
  ];
  if ('bulk' in s) {
    const b = s.bulk;
    lines[0] = `bulk import complete: ${s.files} file(s), ${b.nodes} nodes and ${b.relationships} relationships`;
    lines.push(`  phases: read and validate ${b.readSeconds} s, importer files ${b.filesSeconds} s, Neo4j's importer ${b.importSeconds} s, Neo4j start ${b.startSeconds} s, schema, vocabulary and source marks ${b.schemaSeconds} s (of which constraints and indexes ${b.indexSeconds} s)`);
  }
  if (s.sharesKept) lines.push(`  NOT deleted: ${s.sharesKept} stale source share(s) (more than this load wrote); rerun with --yes to delete them`);
  if (s.rejectsFiles.length) lines.push(`  rejects written to ${s.rejectsFiles.join(', ')}`);
  if (s.missing.length) lines.push(`  not found: ${s.missing.join(', ')}`);
  console.log(lines.join('\n'));
}

/** `npm run load`: validates and loads triple/entity files into the configured Neo4j. */
async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (args === 'help') {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();
  const progress = progressReporter(false);
  const fileVocabulary = args.schema ? readSchemaFile(args.schema) : coreVocabulary;
  const options = {
    pseudonymSecret: config.pseudonymSecret,
    batchSize: args.batchSize,
    dryRun: args.dryRun,
    rejectsFile: args.rejects,
    onProgress: (p: LoadProgress) => progress.update(p),
    log: (l: string) => progress.log(l),
    refresh: refreshDerived,
    // A small load updates the derived values it touched; a large one refreshes them in full.
    update: updateDerived,
    incrementalMaxRows: config.refresh?.incrementalMaxRows,
    replaceSources: args.replaceSources,
    confirmDeletions: deletionConfirmation(args, (l: string) => progress.log(l)),
  };
  let summary: LoadSummary | BulkSummary;
  if (args.bulk && !args.dryRun) {
    if (config.neo4j.uri) {
      throw new BulkRefusedError(
        `--bulk writes the bundled Neo4j's store with Neo4j's offline importer, but NEO4J_URI is set (${config.neo4j.uri}); load without --bulk to use that database`,
      );
    }
    try {
      summary = await bulkLoadFiles(fileVocabulary, args.paths, {
        ...options,
        local: defaultLocalOptions(),
        database: config.neo4j.database,
        onReadDone: () => progress.stop(),
        connect: async () => {
          const c = await connectNeo4j(config.neo4j, (l) => progress.log(l));
          return { db: c.db, startedHere: c.local?.startedHere ?? false, pid: c.local?.pid, close: () => c.close() };
        },
      });
    } finally {
      progress.stop();
    }
  } else if (args.dryRun) {
    summary = await loadFiles(null, fileVocabulary, args.paths, options);
  } else {
    const connected = await connectNeo4j(config.neo4j, (l) => progress.log(l));
    try {
      const vocabulary = mergeVocabulary(await loadStoredVocabulary(connected.db), fileVocabulary);
      await applySchema(connected.db, vocabulary);
      await storeVocabulary(connected.db, vocabulary);
      summary = await loadFiles(connected.db, vocabulary, args.paths, options);
    } finally {
      progress.stop();
      await connected.close().catch(() => undefined);
    }
  }
  progress.stop();
  printSummary(summary, args.json);
  return summary.missing.length || summary.sharesKept ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`npm run load: ${error.message}\n${usage}`);
      process.exit(2);
    }
    const known =
      error instanceof ConfigError ||
      error instanceof MissingToolError ||
      error instanceof LoadInterruptedError ||
      error instanceof IngestLockedError ||
      error instanceof BulkRefusedError ||
      error instanceof BulkImportError ||
      error instanceof BulkFormatError ||
      error instanceof DatabaseUnavailableError ||
      (error instanceof Error && /^schema file /.test(error.message));
    console.error(`npm run load: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
    process.exit(1);
  },
);
