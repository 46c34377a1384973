import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsvWriter } from './csv-writer.js';
import { GROUND_TRUTH_FILE, TRIPLES_FILE } from './generate.js';
import type { GroundTruth, GroundTruthPerson, PersonLink } from './ground-truth.js';
import { Rng } from './random.js';

/**
 * Multi-id persons of the demo (issue 18): a share of the generated consumers appear under three
 * raw ids, the CRM member id the generator wrote (`u000123`), a social (SCRM) openid (`wx_…`) and
 * a loyalty card (`vip…`), each carrying part of the person's rows. The split only moves rows
 * between a person's ids, so every planted figure, measured over persons, stays what the
 * generator measured; over raw ids the stories look weaker (that is the point of stitching).
 */
export const demoPersonDefaults = {
  /** Consumers that become 3-id persons: half linked by SAME_AS rows only, a quarter by a shared phone only, a quarter by both. */
  persons: 400,
  sameAsOnly: 200,
  phoneOnly: 100,
  /** The rest (persons − sameAsOnly − phoneOnly) are linked by both: SAME_AS crm → social, the phone on social and loyalty. */
  /** Other consumers given a phone of their own (links nothing: a unique value). */
  lonePhones: 300,
  /** Its own stream, so the generator's draws (and every planted figure) are untouched. */
  seedOffset: 18,
};

/** The file of Consumer entity rows carrying the identifier column (header id,type,name,phone). */
export const CONSUMERS_FILE = 'consumers.csv';
export const CONSUMER_HEADER = ['id', 'type', 'name', 'phone'] as const;
/** The identifier columns the demo's schema file declares (seeds/demo/schema.json). */
export const DEMO_IDENTIFIER_COLUMNS = ['phone'] as const;
export const SCHEMA_FILE = 'schema.json';

type Slot = 0 | 1 | 2; // crm, social, loyalty
const SYSTEMS = ['crm', 'scrm', 'loyalty'] as const;

/** Which of a person's ids a row of each relation goes to (crm, social, loyalty shares). */
const SHARES: Record<string, readonly [number, number, number]> = {
  PURCHASED: [0.5, 0.1, 0.4],
  VIEWED: [0.3, 0.4, 0.3],
  INTERESTED_IN: [0.2, 0.7, 0.1],
  FOLLOWS: [0, 1, 0],
};

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Same digits, the ways CRM, SCRM and loyalty forms write them (the loader keeps digits only). */
function formatPhone(digits: string, style: number): string {
  const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 7), digits.slice(7)];
  switch (style % 4) {
    case 0:
      return `${a}-${b}-${c}`;
    case 1:
      return digits;
    case 2:
      return `${a} ${b} ${c}`;
    default:
      return `(${a}) ${b}-${c}`;
  }
}

/**
 * Rewrites `outDir`'s triples.csv and ground-truth.json (written by `generate`) so that a share of
 * consumers become 3-id persons, adds their SAME_AS rows, writes consumers.csv (the phone column)
 * and schema.json (`consumerIdentifiers: ["phone"]`), and lists the persons in the ground truth.
 */
export function splitDemoPersons(outDir: string, seed: number, spec = demoPersonDefaults): GroundTruth {
  const gtPath = join(outDir, GROUND_TRUTH_FILE);
  const gt = JSON.parse(readFileSync(gtPath, 'utf8')) as GroundTruth;
  const C = gt.params.consumers;
  const rng = new Rng(seed + spec.seedOffset);
  const rawId = (c: number) => 'u' + String(c + 1).padStart(Math.max(6, String(C).length), '0');

  // Who: persons drawn from all consumers (stories included), then lone phones from the rest.
  const drawn = rng.sample(C, spec.persons + spec.lonePhones);
  const chosen = drawn.slice(0, spec.persons);
  const lone = drawn.slice(spec.persons).sort((a, b) => a - b);
  const usedIds = new Set<string>();
  const freshId = (make: () => string) => {
    for (;;) {
      const id = make();
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const socialId = () => freshId(() => 'wx_' + Array.from({ length: 16 }, () => BASE62[rng.int(62)]).join(''));
  const loyaltyId = () => freshId(() => 'vip' + String(2_000_000_000 + rng.int(1_000_000_000)));
  // Made-up numbers: 11 digits starting 12, which no Chinese mobile number does.
  const usedPhones = new Set<string>();
  const phone = () => {
    for (;;) {
      const d = '12' + String(rng.int(1_000_000_000)).padStart(9, '0');
      if (!usedPhones.has(d)) {
        usedPhones.add(d);
        return d;
      }
    }
  };

  interface Person {
    consumer: number;
    ids: [string, string, string];
    link: PersonLink;
  }
  const persons: Person[] = chosen
    .map((consumer, k): Person => ({
      consumer,
      ids: [rawId(consumer), socialId(), loyaltyId()],
      link: k < spec.sameAsOnly ? 'same-as' : k < spec.sameAsOnly + spec.phoneOnly ? 'phone' : 'both',
    }))
    .sort((a, b) => a.consumer - b.consumer);
  const personOf = new Map(persons.map((p) => [p.ids[0], p]));

  // ---- the rows: each of a person's rows goes to one of its ids (none left without a row)
  const path = join(outDir, TRIPLES_FILE);
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = lines[0]!;
  const body = lines.slice(1).filter(Boolean);
  const cells = body.map((l) => l.split(','));
  const rowsOf = new Map<string, number[]>();
  cells.forEach((r, k) => {
    if (r.length !== 8) throw new Error(`demo persons: line ${k + 2} has ${r.length} cells`);
    if (r[1] === 'Consumer' && personOf.has(r[0]!)) rowsOf.set(r[0]!, [...(rowsOf.get(r[0]!) ?? []), k]);
  });
  for (const p of persons) {
    const rows = rowsOf.get(p.ids[0]) ?? [];
    const slots = rows.map((k) => rng.weighted(SHARES[cells[k]![2]!] ?? [1, 0, 0]) as Slot);
    // An id with no row at all would be a node only its links name: give each at least one.
    for (const s of [0, 1, 2] as Slot[]) {
      if (slots.includes(s)) continue;
      const counts = [0, 1, 2].map((x) => slots.filter((y) => y === x).length);
      const from = counts.indexOf(Math.max(...counts));
      const movable = slots.flatMap((y, k) => (y === from ? [k] : []));
      if (movable.length > 1) slots[movable[rng.int(movable.length)]!] = s;
    }
    rows.forEach((k, j) => {
      const r = cells[k]!;
      const slot = slots[j]!;
      r[0] = p.ids[slot];
      // A row says which system holds it: purchases and interests that of the id; views stay web.
      if (r[2] === 'PURCHASED' || r[2] === 'INTERESTED_IN') r[7] = SYSTEMS[slot];
    });
  }

  // ---- the links
  const byRelation = { ...gt.counts.byRelation };
  const sameAs: string[][] = [];
  const day = 86_400;
  const w0 = Date.parse(gt.window.from + 'T00:00:00Z') / 1000;
  const w1 = Date.parse(gt.window.to + 'T00:00:00Z') / 1000;
  const stamp = () => new Date((w0 + rng.int((w1 - w0) / day) * day + rng.int(day)) * 1000).toISOString().replace('.000Z', 'Z');
  const link = (a: string, b: string) => sameAs.push([a, 'Consumer', 'SAME_AS', b, 'Consumer', '1', stamp(), 'idmap']);
  const phones: Array<[string, string]> = [];
  for (const p of persons) {
    const [crm, social, loyalty] = p.ids;
    if (p.link === 'same-as') {
      // Star from the CRM id, a chain, or the links pointing the other way: direction is not meaning.
      const shape = rng.int(3);
      if (shape === 0) {
        link(crm, social);
        link(crm, loyalty);
      } else if (shape === 1) {
        link(social, crm);
        link(loyalty, social);
      } else {
        link(loyalty, crm);
        link(social, loyalty);
      }
    } else if (p.link === 'phone') {
      const d = phone();
      const style = rng.int(4);
      p.ids.forEach((id, k) => phones.push([id, formatPhone(d, style + k)]));
    } else {
      // Neither link alone joins all three: SAME_AS gives {crm, social}, the phone {social, loyalty}.
      link(crm, social);
      const d = phone();
      const style = rng.int(4);
      phones.push([social, formatPhone(d, style)], [loyalty, formatPhone(d, style + 1)]);
      // The CRM id keeps an older number of its own, which links nothing.
      phones.push([crm, formatPhone(phone(), style + 2)]);
    }
  }
  for (const c of lone) phones.push([rawId(c), formatPhone(phone(), rng.int(4))]);
  byRelation.SAME_AS = sameAs.length;
  writeFileSync(path, [header, ...cells.map((r) => r.join(',')), ...sameAs.map((r) => r.join(','))].join('\n') + '\n');

  phones.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const entities = new CsvWriter(join(outDir, CONSUMERS_FILE), CONSUMER_HEADER);
  // The name column is required of entity rows; the loader stores a consumer by pseudonym only.
  for (const [id, ph] of phones) entities.row([id, 'Consumer', id, ph]);
  entities.close();
  writeFileSync(join(outDir, SCHEMA_FILE), JSON.stringify({ consumerIdentifiers: [...DEMO_IDENTIFIER_COLUMNS] }, null, 2) + '\n');

  const listed: GroundTruthPerson[] = persons.map((p, k) => ({
    id: `person-${String(k + 1).padStart(3, '0')}`,
    ids: [...p.ids],
    sources: [...SYSTEMS],
    linkedBy: p.link,
  }));
  const out: GroundTruth = {
    ...gt,
    files: { ...gt.files, consumers: CONSUMERS_FILE, schema: SCHEMA_FILE },
    counts: {
      triples: gt.counts.triples + sameAs.length,
      byRelation,
      entities: { ...gt.counts.entities, Consumer: C + 2 * persons.length },
    },
    persons: {
      total: C,
      identifierColumns: [...DEMO_IDENTIFIER_COLUMNS],
      linkedBy: { 'same-as': spec.sameAsOnly, phone: spec.phoneOnly, both: persons.length - spec.sameAsOnly - spec.phoneOnly },
      multiId: listed,
    },
  };
  writeFileSync(gtPath, JSON.stringify(out, null, 2) + '\n');
  return out;
}
