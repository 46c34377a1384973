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

/** Called with the number of (compressed) bytes read, for progress and ETA. */
export type OnBytes = (bytes: number) => void;

/** Opens a file as a byte stream, gunzipping `.gz`, counting raw bytes as they are read. */
export function openInput(file: InputFile, onBytes: OnBytes): Readable {
  const raw = createReadStream(file.path, { highWaterMark: 1 << 20 });
  raw.on('data', (chunk) => onBytes(chunk.length));
  if (!file.gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

const fileReject = (file: InputFile, line: number, field: string, reason: string): ReadItem => ({
  reject: { file: file.path, line, field, reason },
});

/** Reads any supported file as records and rejects, streaming (RDF: one file at a time). */
export function readFile(file: InputFile, vocabulary: Vocabulary, onBytes: OnBytes): AsyncGenerator<ReadItem> {
  switch (file.format) {
    case 'csv':
    case 'tsv':
      return readDelimited(file, onBytes);
    case 'jsonl':
      return readJsonLines(file, onBytes);
    case 'nt':
    case 'ttl':
      return readRdf(file, vocabulary, openInput(file, onBytes));
  }
}

/** CSV or TSV with a header row; `line` is the line a record ends on. */
async function* readDelimited(file: InputFile, onBytes: OnBytes): AsyncGenerator<ReadItem> {
  const skipped: Reject[] = [];
  const input = openInput(file, onBytes);
  const parser = parseCsv({
    delimiter: file.format === 'tsv' ? '\t' : ',',
    // TSV exports rarely quote; a stray quote in a name must not swallow lines.
    quote: file.format === 'tsv' ? false : '"',
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      const lines = (err as unknown as { lines?: number } | undefined)?.lines ?? 0;
      skipped.push({ file: file.path, line: lines, field: '(record)', reason: `malformed CSV: ${err?.message ?? 'unreadable record'}` });
      return undefined;
    },
  });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let header: string[] | null = null;
  let kind: RawRecord['kind'] | null = null;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (skipped.length) yield { reject: skipped.shift()! };
      const { record, info } = item;
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
    if (!header) yield fileReject(file, 0, '(file)', 'empty file');
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
