import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The formats the loader reads, by file-name ending. */
export type Format = 'csv' | 'tsv' | 'jsonl' | 'nt' | 'ttl';

const endings: [string, Format, boolean][] = [
  ['.csv', 'csv', false],
  ['.csv.gz', 'csv', true],
  ['.tsv', 'tsv', false],
  ['.tsv.gz', 'tsv', true],
  ['.jsonl', 'jsonl', false],
  ['.jsonl.gz', 'jsonl', true],
  ['.nt', 'nt', false],
  ['.nt.gz', 'nt', true],
  ['.ttl', 'ttl', false],
  ['.ttl.gz', 'ttl', true],
];

/** Suffix of the rejects files the loader writes; never read back as input. */
export const REJECTS_SUFFIX = '.rejects.csv';

/** The format and compression of a file name, or null when the loader does not read it. */
export function formatOf(path: string): { format: Format; gzip: boolean } | null {
  const name = path.toLowerCase();
  if (name.endsWith(REJECTS_SUFFIX)) return null;
  for (const [ending, format, gzip] of endings) if (name.endsWith(ending)) return { format, gzip };
  return null;
}

/** One input file, with the PATH argument it came from. */
export interface InputFile {
  path: string;
  /** The PATH argument (file or folder) it was found under. */
  arg: string;
  format: Format;
  gzip: boolean;
  bytes: number;
  /**
   * The file's identity, "<folder>/<file name>" (e.g. `demo/triples.csv`): the source of rows
   * without a `source` column, and the scope of those with one (`crm@demo/triples.csv`), so a
   * second data set using the same source names never replaces the first (issue 17, finding 2).
   */
  source: string;
}

/** Expands PATH arguments (files or folders, walked recursively in name order). */
export function expandPaths(args: string[]): { files: InputFile[]; missing: string[]; unsupported: string[] } {
  const files: InputFile[] = [];
  const missing: string[] = [];
  const unsupported: string[] = [];
  const add = (path: string, arg: string, explicit: boolean) => {
    const kind = formatOf(path);
    if (!kind) {
      if (explicit) unsupported.push(path);
      return;
    }
    files.push({ path, arg, ...kind, bytes: statSync(path).size, source: `${basename(dirname(resolve(path)))}/${basename(path)}` });
  };
  const walk = (dir: string, arg: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full, arg);
      else if (entry.isFile()) add(full, arg, false);
    }
  };
  for (const arg of args) {
    if (!existsSync(arg)) missing.push(arg);
    else if (statSync(arg).isDirectory()) walk(arg, arg);
    else add(arg, arg, true);
  }
  return { files, missing, unsupported };
}
