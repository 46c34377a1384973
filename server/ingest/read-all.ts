import type { Vocabulary } from '../graph/vocabulary.js';
import { readFile } from './readers.js';
import { RejectsSink } from './rejects.js';
import { expandPaths, type InputFile } from './sources.js';
import type { RawRecord, Reject } from './types.js';

/** Progress of a running load, reported every few thousand records and after every file. */
export interface LoadProgress {
  file: string;
  bytesRead: number;
  bytesTotal: number;
  read: number;
  loaded: number;
  rejected: number;
}

/** What the records go to: the online load's batches or the bulk load's in-memory graph. */
export interface RecordTarget {
  readonly read: number;
  readonly loaded: number;
  readonly rejected: number;
  /** Validates and takes one record; returns its reject, if any. */
  add(record: RawRecord): Reject | null | Promise<Reject | null>;
  /** Counts a record that never reached `add` (unreadable, or a missing file) as read and rejected. */
  rejectOnly(): void;
  /** Set by `readAll`: where later rejects (e.g. rows Neo4j refused) are written. */
  onReject?: (reject: Reject) => void;
}

export interface ReadAllOptions {
  /** Every reject goes here; default: `<PATH>.rejects.csv` beside each PATH argument. */
  rejectsFile?: string;
  onProgress?: (p: LoadProgress) => void;
  /**
   * Reads a whole file its own way (the bulk load's parallel reader), writing its rejects through
   * `reject` and counting into the target; false: not for it, read it here.
   */
  readWhole?: (file: InputFile, reject: (r: Reject) => void, onBytes: (n: number) => void, onProgress: () => void) => Promise<boolean>;
  /** Runs after the last record, before the rejects files close (its rejects still go in). */
  afterRead?: (files: InputFile[]) => Promise<void>;
}

export interface ReadAllResult {
  files: InputFile[];
  missing: string[];
  rejectsFiles: string[];
}

const UNSUPPORTED = 'unsupported format (expected .csv, .tsv, .jsonl, .nt or .ttl, optionally .gz)';

/**
 * Reads the files (and folders) of `paths` into `target`, the loop both load paths share: a
 * missing or unsupported PATH is one rejected row, every record gets its file's source scope,
 * every reject goes to the rejects file of its PATH argument, progress every 2,000 records.
 */
export async function readAll(paths: string[], vocabulary: Vocabulary, target: RecordTarget, options: ReadAllOptions = {}): Promise<ReadAllResult> {
  const { files, missing, unsupported } = expandPaths(paths);
  const sink = new RejectsSink(options.rejectsFile);
  sink.prepare(paths);
  const argOf = new Map(files.map((f) => [f.path, f.arg]));
  target.onReject = (reject) => sink.write(reject, argOf.get(reject.file) ?? paths[0] ?? reject.file);
  const bytesTotal = files.reduce((a, f) => a + f.bytes, 0);
  let bytesRead = 0;
  const progress = (file: string) =>
    options.onProgress?.({ file, bytesRead, bytesTotal, read: target.read, loaded: target.loaded, rejected: target.rejected });
  const rejectFile = (path: string, reason: string) => {
    target.rejectOnly();
    sink.write({ file: path, line: 0, field: '(file)', reason }, path);
  };
  try {
    for (const path of missing) rejectFile(path, 'file not found');
    for (const path of unsupported) rejectFile(path, UNSUPPORTED);
    for (const file of files) {
      const whole = await options.readWhole?.(file, (r) => sink.write(r, file.arg), (n) => (bytesRead += n), () => progress(file.path));
      if (whole) {
        progress(file.path);
        continue;
      }
      let sinceProgress = 0;
      for await (const item of readFile(file, vocabulary, (n) => (bytesRead += n))) {
        if ('reject' in item) {
          target.rejectOnly();
          sink.write(item.reject, file.arg);
        } else {
          item.record.scope = file.source;
          const added = target.add(item.record);
          // The bulk target answers at once: no promise (and no microtask) a record.
          const reject = added instanceof Promise ? await added : added;
          if (reject) sink.write(reject, file.arg);
        }
        if (++sinceProgress >= 2_000) {
          sinceProgress = 0;
          progress(file.path);
        }
      }
      progress(file.path);
    }
    await options.afterRead?.(files);
  } finally {
    await sink.close();
  }
  return { files, missing, rejectsFiles: [...sink.written] };
}
