import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Parser, type Quad } from 'n3';
import type { Vocabulary } from '../graph/vocabulary.js';
import type { InputFile } from './sources.js';
import type { ReadItem } from './types.js';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const NAME_PREDICATES = new Set(['name', 'label']);

/** Maps an IRI to a name: the longest matching prefix of the map replaced, else the local part. */
export function iriName(iri: string, prefixes: Record<string, string>): string {
  let best = '';
  for (const prefix of Object.keys(prefixes)) if (iri.startsWith(prefix) && prefix.length > best.length) best = prefix;
  if (best) return prefixes[best] + iri.slice(best.length);
  const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  return cut >= 0 && cut < iri.length - 1 ? iri.slice(cut + 1) : iri;
}

interface Statement {
  quad: Quad;
  line: number;
}

/**
 * N-Triples (parsed line by line, so a bad line rejects only itself) and Turtle (parsed whole;
 * after a syntax error, parsing resumes after the next line that ends a statement). `rdf:type`
 * gives entity types, IRI objects make relations, literals make properties. Types are resolved
 * per file, so statements may come in any order; an RDF file is held in memory while read.
 */
export async function* readRdf(file: InputFile, vocabulary: Vocabulary, input: Readable): AsyncGenerator<ReadItem> {
  const statements: Statement[] = [];
  const rejects: ReadItem[] = [];
  try {
    if (file.format === 'nt') await parseNTriples(file, input, statements, rejects);
    else await parseTurtle(file, input, statements, rejects);
  } catch (error) {
    yield { reject: { file: file.path, line: 0, field: '(file)', reason: `cannot read: ${(error as Error).message}` } };
    return;
  } finally {
    input.destroy();
  }
  yield* rejects;
  if (statements.length === 0 && rejects.length === 0) {
    yield { reject: { file: file.path, line: 0, field: '(file)', reason: 'empty file' } };
    return;
  }
  yield* toRecords(file, vocabulary, statements);
}

async function parseNTriples(file: InputFile, input: Readable, out: Statement[], rejects: ReadItem[]) {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (!text.trim() || text.trimStart().startsWith('#')) continue;
    try {
      for (const quad of new Parser({ format: 'N-Triples' }).parse(text)) out.push({ quad, line });
    } catch (error) {
      rejects.push({ reject: { file: file.path, line, field: '(statement)', reason: `unparseable RDF: ${cleanMessage(error)}` } });
    }
  }
}

async function parseTurtle(file: InputFile, input: Readable, out: Statement[], rejects: ReadItem[]) {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  const lines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  const prefixes = new Map<string, string>();
  let start = 0; // 0-based line where the current attempt starts
  while (start < lines.length) {
    const header = [...prefixes].map(([p, iri]) => `@prefix ${p}: <${iri}> .`);
    const text = [...header, ...lines.slice(start)].join('\n');
    const parsed: Quad[] = [];
    let failure: Error | null = null;
    await new Promise<void>((done) => {
      new Parser({ format: 'Turtle', blankNodePrefix: '' }).parse(text, {
        onQuad: (error, quad) => {
          if (error) {
            failure ??= error;
            done();
          } else if (quad) {
            if (!failure) parsed.push(quad);
          } else done();
        },
        onPrefix: (prefix, iri) => void prefixes.set(prefix, iri.value),
      });
    });
    for (const quad of parsed) out.push({ quad, line: 0 });
    if (!failure) return;
    const at = /on line (\d+)/.exec(String((failure as Error).message));
    const errorLine = at ? start + Number(at[1]) - header.length : start + 1; // 1-based in the file
    rejects.push({ reject: { file: file.path, line: errorLine, field: '(statement)', reason: `unparseable RDF: ${cleanMessage(failure)}` } });
    // Quads of the broken statement parsed before the error are dropped with it.
    dropPartialStatement(out, parsed);
    // Resume after the statement that failed: the next line (from the error on) ending in '.'.
    let next = Math.max(errorLine - 1, start);
    while (next < lines.length && !/\.\s*(#.*)?$/.test(lines[next]!)) next++;
    start = next + 1;
  }
}

/** The parser emits quads of a statement as it goes; a statement that failed must not half-load. */
function dropPartialStatement(out: Statement[], parsed: Quad[]) {
  const last = parsed.at(-1);
  if (!last) return;
  while (out.length && out.at(-1)!.quad.subject.equals(last.subject)) out.pop();
}

function cleanMessage(error: unknown): string {
  return String((error as Error).message ?? error).replace(/\s+/g, ' ').slice(0, 200);
}

function* toRecords(file: InputFile, vocabulary: Vocabulary, statements: Statement[]): Generator<ReadItem> {
  const p = vocabulary.prefixes;
  const types = new Map<string, string>();
  const literals = new Map<string, { fields: Record<string, string>; line: number }>();
  const relations: { s: string; rel: string; o: string; line: number }[] = [];
  const termId = (t: Quad['subject'] | Quad['object']) => (t.termType === 'NamedNode' ? iriName(t.value, p) : t.value);
  statements.forEach(({ quad, line }, index) => {
    const record = line || index + 1;
    const subject = termId(quad.subject);
    if (quad.predicate.value === RDF_TYPE) {
      types.set(subject, termId(quad.object));
      return;
    }
    const predicate = iriName(quad.predicate.value, p);
    if (quad.object.termType === 'Literal') {
      const entry = literals.get(subject) ?? { fields: {}, line: record };
      const base = NAME_PREDICATES.has(predicate) ? 'name' : predicate;
      const lang = quad.object.language;
      if (lang) {
        entry.fields[`${base}_${lang.split('-')[0]!.toLowerCase()}`] = quad.object.value;
        if (base === 'name' && entry.fields.name === undefined) entry.fields.name = quad.object.value;
      } else {
        entry.fields[base] = quad.object.value;
      }
      literals.set(subject, entry);
      return;
    }
    relations.push({ s: subject, rel: predicate, o: termId(quad.object), line: record });
  });
  const relationDefs = new Map(vocabulary.relations.map((r) => [r.name, r]));
  // An endpoint without rdf:type takes the relation's only allowed type, if it has one.
  const typeOf = (id: string, allowed: string[] | undefined) => types.get(id) ?? (allowed?.length === 1 ? allowed[0] : undefined);
  const inferred = new Map<string, string>();
  for (const r of relations) {
    const def = relationDefs.get(r.rel);
    const sType = typeOf(r.s, def?.from) ?? '';
    const oType = typeOf(r.o, def?.to) ?? '';
    if (sType) inferred.set(r.s, sType);
    if (oType) inferred.set(r.o, oType);
    yield {
      record: {
        kind: 'triple',
        file: file.path,
        line: r.line,
        defaultSource: file.source,
        fields: { subject: r.s, subject_type: sType, relation: r.rel, object: r.o, object_type: oType },
      },
    };
  }
  const subjects = new Set([...types.keys(), ...literals.keys()]);
  for (const id of subjects) {
    const type = types.get(id) ?? inferred.get(id) ?? '';
    const entry = literals.get(id);
    yield {
      record: {
        kind: 'entity',
        file: file.path,
        line: entry?.line ?? 0,
        defaultSource: file.source,
        fields: { ...entry?.fields, id, type },
      },
    };
  }
}
