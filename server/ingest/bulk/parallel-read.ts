import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Vocabulary } from '../../graph/vocabulary.js';
import { delimitedOptions, type ByteRange } from '../readers.js';
import type { InputFile } from '../sources.js';
import type { Reject } from '../types.js';
import { classify } from '../validate.js';
import type { BulkGraph, BulkGraphParts } from './bulk-graph.js';
import type { ReadWorkerData } from './read-worker.js';

/*
 * The bulk load's reader for large plain CSV/TSV files: the file is cut at line starts into one
 * byte range a thread (read-worker.ts), each read, validated and pseudonymised as the
 * one-thread path does into a graph of its own, merged here in file order. Line numbers stay the
 * file's (each range's rejects are shifted by the lines before it). A CSV file with a quote
 * character anywhere is read by the one-thread path instead: a quoted field may hold a line
 * break, so a cut at a line start could fall inside it.
 */

/** Read counts the parallel reader adds to (the bulk load's record target). */
export interface ReadCounts {
  read: number;
  loaded: number;
  rejected: number;
  propertiesDropped: number;
}

export interface ParallelReadOptions {
  vocabulary: Vocabulary;
  pseudonymSecret: string;
  /** Threads (byte ranges); default: the machine's cores, at most 4. Below 2: never parallel. */
  threads?: number;
  /** Smaller files are read by the one-thread path (starting threads costs ~0.3 s). */
  minBytes?: number;
}

/** Files below this are read in one thread. */
export const PARALLEL_MIN_BYTES = 16 << 20;

const NEWLINE = 0x0a;
const BOM = '\uFEFF';

/** Bytes [from, from + n) of an open file. */
function readAt(fd: number, from: number, n: number): Buffer {
  const buf = Buffer.alloc(n);
  const got = readSync(fd, buf, 0, n, from);
  return buf.subarray(0, got);
}

/** The offset just after the first line break at or after `from`, or `size` without one. */
function nextLineStart(fd: number, from: number, size: number): number {
  for (let at = from; at < size; at += 1 << 16) {
    const i = readAt(fd, at, 1 << 16).indexOf(NEWLINE);
    if (i !== -1) return at + i + 1;
  }
  return size;
}

/** The header and the ranges after it, or null when the file is not for the parallel reader. */
function planRanges(file: InputFile, threads: number): { header: string[]; ranges: { start: number; end: number }[] } | null {
  const fd = openSync(file.path, 'r');
  try {
    const first = readAt(fd, 0, 1 << 16);
    const nl = first.indexOf(NEWLINE);
    if (nl === -1) return null;
    let text = first.subarray(0, nl).toString('utf8').replace(/\r$/, '');
    if (text.startsWith(BOM)) text = text.slice(1);
    const { delimiter, quote } = delimitedOptions(file);
    if (quote && text.includes(quote)) return null;
    const header = text.split(delimiter).map((h) => h.trim());
    if (!classify(header)) return null;
    const ranges: { start: number; end: number }[] = [];
    let start = nl + 1;
    for (let k = 1; k <= threads && start < file.bytes; k++) {
      const end = k === threads ? file.bytes : nextLineStart(fd, Math.max(start, Math.floor((file.bytes * k) / threads)), file.bytes);
      ranges.push({ start, end });
      start = end;
    }
    return { header, ranges };
  } finally {
    closeSync(fd);
  }
}

interface RangeResult {
  lines: number;
  rejects: Reject[];
  parts: BulkGraphParts;
  counts: ReadCounts;
}

const here = import.meta.url;

interface TsxPackage {
  exports: { './esm/api': { import: { default: string } } };
}

/** A thread running read-worker; run from source (tsx, vitest), it loads the .ts file through tsx's API. */
function startWorker(workerData: ReadWorkerData): Worker {
  if (!here.endsWith('.ts')) return new Worker(new URL('./read-worker.js', here), { workerData });
  // The package's ESM entry of `tsx/esm/api` (require.resolve would give its CommonJS one).
  const tsxPackage = createRequire(here).resolve('tsx/package.json');
  const tsxApi = pathToFileURL(join(dirname(tsxPackage), (JSON.parse(readFileSync(tsxPackage, 'utf8')) as TsxPackage).exports['./esm/api'].import.default)).href;
  const worker = new URL('./read-worker.ts', here).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((api) => api.tsImport(${JSON.stringify(worker)}, ${JSON.stringify(here)}))`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * Reads `file` into `graph` with several threads, adding to `counts` and writing rejects
 * (in file order) through `writeReject`. Returns false, having changed nothing, when the file
 * is not for the parallel reader (small, compressed, not CSV/TSV, quoted): read it whole.
 */
export async function readInParallel(
  file: InputFile,
  graph: BulkGraph,
  counts: ReadCounts,
  writeReject: (reject: Reject) => void,
  options: ParallelReadOptions,
  onBytes: (n: number) => void = () => undefined,
  onProgress: () => void = () => undefined,
): Promise<boolean> {
  const threads = options.threads ?? Math.min(4, availableParallelism());
  if (threads < 2 || file.gzip || (file.format !== 'csv' && file.format !== 'tsv') || file.bytes < (options.minBytes ?? PARALLEL_MIN_BYTES)) return false;
  const plan = planRanges(file, threads);
  if (!plan) return false;
  const base = { ...counts };
  let bytesSent = 0;
  const live = plan.ranges.map(() => ({ read: 0, loaded: 0, rejected: 0, propertiesDropped: 0, bytes: 0 }));
  const show = () => {
    const sum = { read: 0, loaded: 0, rejected: 0, propertiesDropped: 0, bytes: 0 };
    for (const l of live) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += l[k];
    counts.read = base.read + sum.read;
    counts.loaded = base.loaded + sum.loaded;
    counts.rejected = base.rejected + sum.rejected;
    counts.propertiesDropped = base.propertiesDropped + sum.propertiesDropped;
    onBytes(sum.bytes - bytesSent);
    bytesSent = sum.bytes;
    onProgress();
  };
  const workers: Worker[] = [];
  const runs = plan.ranges.map((r, k) => {
    // A range's line numbers are its own; shifted by the lines before it when merged.
    const range: ByteRange = { ...r, header: plan.header, linesBefore: 0 };
    const data: ReadWorkerData = { file, range, vocabulary: options.vocabulary, pseudonymSecret: options.pseudonymSecret };
    const worker = startWorker(data);
    workers.push(worker);
    return new Promise<RangeResult | 'quoted'>((resolve, reject) => {
      worker.on('message', (m: { type: string } & Record<string, unknown>) => {
        if (m.type === 'progress') {
          live[k] = m as unknown as (typeof live)[number];
          show();
        } else if (m.type === 'quoted') resolve('quoted');
        else if (m.type === 'done') {
          live[k] = m as unknown as (typeof live)[number];
          const c = m as unknown as ReadCounts;
          resolve({ lines: m.lines as number, rejects: m.rejects as Reject[], parts: m.parts as BulkGraphParts, counts: { read: c.read, loaded: c.loaded, rejected: c.rejected, propertiesDropped: c.propertiesDropped } });
        }
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`a bulk read thread stopped (exit ${code}) before it finished ${file.path}`)));
    });
  });
  let results: (RangeResult | 'quoted')[];
  try {
    results = await Promise.all(runs);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (results.includes('quoted')) {
    Object.assign(counts, base);
    onBytes(-bytesSent);
    return false;
  }
  let linesBefore = 1; // the header
  for (const result of results as RangeResult[]) {
    graph.merge(result.parts);
    for (const reject of result.rejects) writeReject(reject.line > 0 ? { ...reject, line: reject.line + linesBefore } : reject);
    linesBefore += result.lines;
  }
  show();
  return true;
}
