import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

/** One triple row as in the contract's triple files. */
export interface Triple {
  subject: string;
  subject_type: string;
  relation: string;
  object: string;
  object_type: string;
  weight?: string;
  timestamp?: string;
  source?: string;
}

export interface DataFiles {
  triples: Triple[];
  /** Entity rows (id, type, name, …), passed to the loader unchanged. */
  entities: Record<string, string>[];
}

const supported = ['.csv', '.tsv', '.jsonl'];

function filesOf(path: string): string[] {
  if (!existsSync(path)) throw new Error(`${path}: no such file or folder`);
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .sort()
      .flatMap((f) => filesOf(join(path, f)));
  }
  const ext = extname(path.replace(/\.gz$/, ''));
  return supported.includes(ext) ? [path] : [];
}

function rowsOf(file: string): Record<string, string>[] {
  const gz = file.endsWith('.gz');
  const buffer = readFileSync(file);
  const text = (gz ? gunzipSync(buffer) : buffer).toString('utf8');
  const ext = extname(file.replace(/\.gz$/, ''));
  if (ext === '.jsonl') {
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as Record<string, unknown>).map(([k, v]) => [k, String(v)])));
  }
  return parse(text, { columns: true, skip_empty_lines: true, delimiter: ext === '.tsv' ? '\t' : ',', bom: true, relax_column_count: true });
}

/**
 * Reads triple and entity files (CSV, TSV, JSON Lines, optionally gzipped; folders are
 * walked) for the evaluation split. A file is triples when it has subject/relation/object
 * columns, entities when it has id/type. RDF files are left to the loader.
 */
export function readDataFiles(paths: readonly string[]): DataFiles {
  const out: DataFiles = { triples: [], entities: [] };
  const files = paths.flatMap(filesOf);
  if (!files.length) throw new Error(`no .csv, .tsv or .jsonl files under ${paths.join(', ')}`);
  for (const file of files) {
    const rows = rowsOf(file);
    const first = rows[0];
    if (!first) continue;
    if ('subject' in first && 'relation' in first && 'object' in first) for (const r of rows) out.triples.push(r as unknown as Triple);
    else if ('id' in first && 'type' in first) for (const r of rows) out.entities.push(r);
    else throw new Error(`${file}: header is neither a triple file's nor an entity file's`);
  }
  return out;
}
