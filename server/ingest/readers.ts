import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import type { Vocabulary } from '../graph/vocabulary.js';
import { readRdf } from './rdf-reader.js';
import type { InputFile } from './sources.js';
import type { RawRecord, ReadItem, Reject } from './types.js';
import { classify } from './validate.js';

/** Called with the number of (compressed) bytes read, for progress and ETA (and the raw chunk). */
export type OnBytes = (bytes: number, chunk: Buffer) => void;

/**
 * A part of an uncompressed CSV/TSV file that starts at a line start: bytes `start` to `end`
 * (exclusive), read with the file's `header` (parsed from line 1 by the caller), its first line
 * being line `linesBefore + 1` of the file.
 */
export interface ByteRange {
  start: number;
  end: number;
  header: string[];
  linesBefore: number;
}

/** Opens a file (or a byte range of it) as a byte stream, gunzipping `.gz`, counting raw bytes as they are read. */
export function openInput(file: InputFile, onBytes: OnBytes, range?: { start: number; end: number }): Readable {
  const raw = createReadStream(file.path, { highWaterMark: 1 << 20, ...(range ? { start: range.start, end: range.end - 1 } : {}) });
  raw.on('data', (chunk) => onBytes(chunk.length, chunk as Buffer));
  if (!file.gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

const fileReject = (file: InputFile, line: number, field: string, reason: string): ReadItem => ({
  reject: { file: file.path, line, field, reason },
});

/**
 * Reads any supported file as records and rejects, streaming (RDF: one file at a time); with
 * `range`, only that part of an uncompressed CSV/TSV file (the bulk load's parallel reader).
 */
export function readFile(file: InputFile, vocabulary: Vocabulary, onBytes: OnBytes, range?: ByteRange): AsyncGenerator<ReadItem> {
  switch (file.format) {
    case 'csv':
    case 'tsv':
      return readDelimited(file, onBytes, range);
    case 'jsonl':
      return readJsonLines(file, onBytes);
    case 'nt':
    case 'ttl':
      return readRdf(file, vocabulary, openInput(file, onBytes));
  }
}

/** The CSV/TSV options of a file, the same for a whole file and for a byte range of it. */
export function delimitedOptions(file: InputFile): { delimiter: string; quote: string | false } {
  // TSV exports rarely quote; a stray quote in a name must not swallow lines.
  return { delimiter: file.format === 'tsv' ? '\t' : ',', quote: file.format === 'tsv' ? false : '"' };
}

/** CSV or TSV with a header row; `line` is the line a record ends on. */
async function* readDelimited(file: InputFile, onBytes: OnBytes, range?: ByteRange): AsyncGenerator<ReadItem> {
  const skipped: Reject[] = [];
  const linesBefore = range?.linesBefore ?? 0;
  const input = openInput(file, onBytes, range);
  const parser = parseCsv({
    ...delimitedOptions(file),
    bom: !range,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      const lines = (err as unknown as { lines?: number } | undefined)?.lines ?? 0;
      skipped.push({ file: file.path, line: linesBefore + lines, field: '(record)', reason: `malformed CSV: ${err?.message ?? 'unreadable record'}` });
      return undefined;
    },
  });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let header: string[] | null = range?.header ?? null;
  let kind: RawRecord['kind'] | null = header ? classify(header) : null;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (skipped.length) yield { reject: skipped.shift()! };
      const { record } = item;
      const info = { lines: linesBefore + item.info.lines };
      if (!header) {
        header = record.map((h) => h.trim());
        kind = classify(header);
        if (!kind) {
          yield fileReject(file, info.lines, '(header)', `header must have subject,subject_type,relation,object,object_type (triples) or id,type (entities); found ${header.join(',').slice(0, 120)}`);
          return;
        }
        continue;
      }
      if (record.length !== header.length) {
        yield fileReject(file, info.lines, '(columns)', `expected ${header.length} columns, found ${record.length}`);
        continue;
      }
      const fields: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) fields[header[i]!] = record[i]!;
      yield { record: { kind: kind!, fields, file: file.path, line: info.lines, defaultSource: file.source } };
    }
    while (skipped.length) yield { reject: skipped.shift()! };
    if (!header && !range) yield fileReject(file, 0, '(file)', 'empty file');
  } catch (error) {
    yield fileReject(file, 0, '(file)', `cannot read: ${(error as Error).message}`);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** JSON Lines: one object a line, classified by its keys. */
async function* readJsonLines(file: InputFile, onBytes: OnBytes): AsyncGenerator<ReadItem> {
  const input = openInput(file, onBytes);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let records = 0;
  try {
    for await (const text of lines) {
      lineNo++;
      if (!text.trim()) continue;
      records++;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        yield fileReject(file, lineNo, '(record)', `not valid JSON: ${(error as Error).message}`);
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield fileReject(file, lineNo, '(record)', 'not a JSON object');
        continue;
      }
      const fields: Record<string, string | undefined> = {};
      for (const [key, v] of Object.entries(value)) {
        fields[key] = v === null || v === undefined ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
      const kind = classify(Object.keys(fields));
      if (!kind) {
        yield fileReject(file, lineNo, '(record)', 'needs the keys subject,subject_type,relation,object,object_type (triple) or id,type (entity)');
        continue;
      }
      yield { record: { kind, fields, file: file.path, line: lineNo, defaultSource: file.source } };
    }
    if (records === 0) yield fileReject(file, 0, '(file)', 'empty file');
  } catch (error) {
    yield fileReject(file, lineNo, '(file)', `cannot read: ${(error as Error).message}`);
  } finally {
    lines.close();
    input.destroy();
  }
}
