import { parentPort, workerData } from 'node:worker_threads';
import type { Vocabulary } from '../../graph/vocabulary.js';
import { readFile, type ByteRange } from '../readers.js';
import type { InputFile } from '../sources.js';
import type { EntityRow, Reject, TripleRow } from '../types.js';
import { isReject, RowValidator } from '../validate.js';
import { BulkGraph } from './bulk-graph.js';

/*
 * One thread of the bulk load's parallel reader (parallel-read.ts): reads, validates and
 * pseudonymises one byte range of a file exactly as the one-thread path does, into a graph of
 * its own that the main thread merges. Messages: `progress` (counts so far), then `done` (the
 * graph, its rejects, the range's line count) or `quoted` (the range holds a quote character:
 * a range boundary may be inside a quoted field, so the main thread reads the file whole).
 */

export interface ReadWorkerData {
  file: InputFile;
  range: ByteRange;
  vocabulary: Vocabulary;
  pseudonymSecret: string;
}

const { file, range, vocabulary, pseudonymSecret } = workerData as ReadWorkerData;
const validator = new RowValidator(vocabulary, pseudonymSecret);
const graph = new BulkGraph();
const rejects: Reject[] = [];
const counts = { read: 0, loaded: 0, rejected: 0, propertiesDropped: 0, bytes: 0 };
const QUOTE = 0x22;
let quoted = false;

const NEWLINE = 0x0a;
let lines = 0;

const onBytes = (n: number, chunk: Buffer) => {
  counts.bytes += n;
  if (file.format === 'csv' && chunk.includes(QUOTE)) quoted = true;
  for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
};

let sinceProgress = 0;
for await (const item of readFile(file, vocabulary, onBytes, range)) {
  if (quoted) break;
  counts.read++;
  if ('reject' in item) {
    counts.rejected++;
    rejects.push(item.reject);
  } else {
    const record = item.record;
    record.scope = file.source;
    const row = record.kind === 'triple' ? validator.triple(record) : validator.entity(record);
    if (isReject(row)) {
      counts.rejected++;
      rejects.push(row);
    } else {
      counts.loaded++;
      if (record.kind === 'triple') graph.addTriple(row as TripleRow);
      else {
        counts.propertiesDropped += (row as EntityRow).droppedProperties ?? 0;
        graph.addEntity(row as EntityRow);
      }
    }
  }
  if (++sinceProgress >= 20_000) {
    sinceProgress = 0;
    parentPort!.postMessage({ type: 'progress', ...counts });
  }
}
if (quoted) parentPort!.postMessage({ type: 'quoted' });
else {
  const { parts, transfer } = graph.toParts();
  parentPort!.postMessage({ type: 'done', ...counts, lines, rejects, parts }, transfer);
}
