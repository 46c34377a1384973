import type { ApiDemandLink, ApiEdge, ApiEntity, ApiOpportunity, ApiPath, ApiSubgraph, EdgeElement, GraphElement, Lang, NodeData, NodeElement } from './types.js';
import { isReversedStep } from './vocabulary.js';
import { idsText, isStitched, personLabel, type PersonFields } from './person-label.js';

// Pure functions from API answers to Cytoscape element definitions. No DOM, no Cytoscape:
// tested in Node (test/web/elements.test.ts).

export const sizing = {
  /** Smallest and largest node diameter (px). */
  min: 26,
  max: 64,
  /** Diameter of a node before any degree or score is known. */
  initial: 32,
};

/** Node sizes in big scenes: small dots, so thousands of nodes read as a network, not a carpet. */
export const bigSizing = { min: 6, max: 22, initial: 8 };

/** The label of an entity in the chosen language: English uses nameEn when the data has one. */
export function nodeLabel(entity: Pick<ApiEntity, 'name' | 'nameEn' | 'id'>, lang: Lang): string {
  const name = lang === 'en' && entity.nameEn ? entity.nameEn : entity.name;
  return name || entity.id;
}

/** A consumer pseudonym's short form, "#3n_v3C": enough to tell two apart, never the whole id. */
export function shortHash(id: string): string {
  return `#${id.replace(/^c_/, '').slice(0, 6)}`;
}

const pseudonym = /^c_[A-Za-z0-9_-]{22}$/;

/**
 * A label a person can read. Consumers whose name is their pseudonym are labelled by their
 * segment (its largest interests, in `lang`) when known, else "Consumer", and a short hash:
 * "Camping · Glamping #3n_v3C". Everything else: its name in `lang`.
 */
export function readableLabel(entity: Pick<ApiEntity, 'name' | 'nameEn' | 'id'> & PersonFields, lang: Lang, segment?: string | null): string {
  // A person under several ids is labelled by its person, whichever id names it.
  if (isStitched(entity)) return personLabel(entity.person, lang, segment);
  const name = nodeLabel(entity, lang);
  const anonymous = entity.type === 'Consumer' ? !name || name === entity.id || pseudonym.test(name) : pseudonym.test(name);
  if (!anonymous) return name;
  return `${segment || (lang === 'zh' ? '消费者' : 'Consumer')} ${shortHash(entity.id)}`;
}

/** The label on canvas: readable (consumers by segment and short hash); the details panel shows pseudonyms whole. */
export function canvasLabel(entity: Pick<ApiEntity, 'name' | 'nameEn' | 'id'> & PersonFields, lang: Lang, segment?: string | null): string {
  return readableLabel(entity, lang, segment);
}

/**
 * A node element for an entity. A consumer the server stitched into a person of several ids
 * carries the person and is labelled by it, with "3 ids" below (see persons.ts for one node a person).
 */
export function entityToNode(entity: ApiEntity, lang: Lang): NodeElement {
  const node: NodeElement = {
    group: 'nodes',
    data: {
      id: entity.key,
      key: entity.key,
      type: entity.type,
      entityId: entity.id,
      name: entity.name,
      nameEn: entity.nameEn ?? null,
      properties: entity.properties ?? null,
      label: canvasLabel(entity, lang),
      size: sizing.initial,
    },
  };
  if (isStitched(entity)) {
    Object.assign(node.data, { person: entity.person, personIds: entity.personIds, subEn: idsText(entity.personIds, 'en'), subZh: idsText(entity.personIds, 'zh') });
    node.data.label = withSubLabel(node.data, lang);
    node.classes = 'person';
  }
  return node;
}

/** The id of an edge: one per (source, relation, target), as Neo4j stores them. */
export function edgeId(source: string, relation: string, target: string): string {
  return `${source}|${relation}|${target}`;
}

/** Edge line width from weight: logarithmic, so one heavy edge does not swamp the rest. */
export function edgeWidth(weight: number): number {
  if (!Number.isFinite(weight) || weight <= 0) return 1;
  return Math.min(6, 1 + Math.log2(1 + weight) * 0.9);
}

/** An edge element for an API edge. */
export function apiEdgeToElement(edge: ApiEdge): EdgeElement {
  return {
    group: 'edges',
    data: {
      id: edgeId(edge.source, edge.relation, edge.target),
      source: edge.source,
      target: edge.target,
      relation: edge.relation,
      weight: edge.weight,
      width: edgeWidth(edge.weight),
      ...(typeof edge.firstTs === 'number' ? { firstTs: edge.firstTs } : {}),
      ...(typeof edge.lastTs === 'number' ? { lastTs: edge.lastTs } : {}),
    },
  };
}

/** Nodes and edges of a subgraph, each node once; edges to nodes absent from it are dropped. */
export function subgraphToElements(sub: Pick<ApiSubgraph, 'nodes' | 'edges'>, lang: Lang): GraphElement[] {
  const out: GraphElement[] = [];
  const seen = new Set<string>();
  for (const n of sub.nodes) {
    if (seen.has(n.key)) continue;
    seen.add(n.key);
    out.push(entityToNode(n, lang));
  }
  const edges = new Set<string>();
  for (const e of sub.edges) {
    if (!seen.has(e.source) || !seen.has(e.target)) continue;
    const el = apiEdgeToElement(e);
    if (edges.has(el.data.id)) continue;
    edges.add(el.data.id);
    out.push(el);
  }
  return out;
}

/**
 * Elements of a path: its nodes and one edge per step, oriented as stored (a path may walk an
 * edge backwards, e.g. product ← consumer). `exists(id)` lets a same-type step reuse an edge
 * already on the canvas in either direction.
 */
export function pathToElements(path: ApiPath, lang: Lang, exists: (edgeId: string) => boolean = () => false): GraphElement[] {
  const out: GraphElement[] = path.nodes.map((n) => entityToNode(n, lang));
  for (let i = 0; i < path.relations.length; i++) {
    const a = path.nodes[i];
    const b = path.nodes[i + 1];
    const relation = path.relations[i]!;
    if (!a || !b) break;
    let [source, target] = isReversedStep(a.type, relation, b.type) ? [b, a] : [a, b];
    if (!exists(edgeId(source.key, relation, target.key)) && exists(edgeId(target.key, relation, source.key))) {
      [source, target] = [target, source];
    }
    out.push(apiEdgeToElement({ source: source.key, target: target.key, relation, weight: 1 }));
  }
  return dedupe(out);
}

/** Keeps the first element of each id. */
export function dedupe(elements: GraphElement[]): GraphElement[] {
  const seen = new Set<string>();
  return elements.filter((el) => (seen.has(el.data.id) ? false : (seen.add(el.data.id), true)));
}

/** A neighbour of a node with the total weight of the edges that link them. */
export interface RankedNeighbour {
  entity: ApiEntity;
  weight: number;
  relations: string[];
  edges: ApiEdge[];
}

/** Consumers are anonymous (pseudonyms): on canvas they are shown as one aggregate, never one by one first. */
export const isAnonymousType = (type: string): boolean => type === 'Consumer';

/** Named entities before anonymous consumers, strongest first, ties by name (a stable order). */
const byUsefulness = (a: RankedNeighbour, b: RankedNeighbour): number =>
  Number(isAnonymousType(a.entity.type)) - Number(isAnonymousType(b.entity.type)) || b.weight - a.weight || a.entity.name.localeCompare(b.entity.name);

/**
 * The neighbours of `center` in a subgraph: named entities before anonymous consumers (as the
 * server ranks them), strongest first within each (ties by name, for a stable order).
 */
export function rankNeighbours(sub: Pick<ApiSubgraph, 'nodes' | 'edges'>, center: string): RankedNeighbour[] {
  const byKey = new Map(sub.nodes.map((n) => [n.key, n]));
  const acc = new Map<string, RankedNeighbour>();
  for (const e of sub.edges) {
    const other = e.source === center ? e.target : e.target === center ? e.source : null;
    if (!other || other === center) continue;
    const entity = byKey.get(other);
    if (!entity) continue;
    const r = acc.get(other) ?? { entity, weight: 0, relations: [], edges: [] };
    r.weight += Number.isFinite(e.weight) ? e.weight : 0;
    if (!r.relations.includes(e.relation)) r.relations.push(e.relation);
    r.edges.push(e);
    acc.set(other, r);
  }
  return [...acc.values()].sort(byUsefulness);
}

/** What one expansion adds: the strongest `cap` new named neighbours; the rest and every consumer held back. */
export interface ExpansionPlan {
  add: RankedNeighbour[];
  heldBack: RankedNeighbour[];
  /** Neighbours the server left out by its limit (not even listed). */
  notLoaded: number;
  /** Neighbours already on canvas (their edges are still added). */
  alreadyShown: RankedNeighbour[];
}

/**
 * The supernode safeguard: of the ranked neighbours not yet on the canvas, the strongest `cap`
 * named ones are added; the other named ones and all consumers wait behind the node's badge
 * ("+3 more · 184 consumers"), from where they can be chosen. Consumers are anonymous: 25 of
 * them on canvas say less than their count.
 */
export function planExpansion(ranked: RankedNeighbour[], cap: number, onCanvas: (key: string) => boolean, truncated = 0): ExpansionPlan {
  const fresh = ranked.filter((r) => !onCanvas(r.entity.key));
  const named = fresh.filter((r) => !isAnonymousType(r.entity.type));
  const consumers = fresh.filter((r) => isAnonymousType(r.entity.type));
  return {
    add: named.slice(0, Math.max(0, cap)),
    heldBack: [...named.slice(Math.max(0, cap)), ...consumers],
    notLoaded: Math.max(0, truncated),
    alreadyShown: ranked.filter((r) => onCanvas(r.entity.key)),
  };
}

/** Every neighbour fetched for an expanded node, and how many the server did not list. */
export interface KnownNeighbours {
  items: RankedNeighbour[];
  notLoaded: number;
}

/**
 * A node's known neighbours after another fetch: without `before` (a fetch of every relation)
 * the fetch replaces them; otherwise (a fetch of some relations) its neighbours are added to the
 * list, ranked again, and the unlisted count is the larger of the two.
 */
export function mergeKnownNeighbours(before: KnownNeighbours | undefined, fetched: KnownNeighbours): KnownNeighbours {
  if (!before) return { items: [...fetched.items], notLoaded: fetched.notLoaded };
  const byKey = new Map(before.items.map((i) => [i.entity.key, i]));
  for (const i of fetched.items) byKey.set(i.entity.key, i);
  const items = [...byKey.values()].sort(byUsefulness);
  return { items, notLoaded: Math.max(before.notLoaded, fetched.notLoaded) };
}

/** What waits behind a badge: named neighbours, and consumers (listed or not). */
export interface HeldBackCount {
  named: number;
  consumers: number;
}

/**
 * Counts held-back neighbours. The server sends named neighbours before consumers, so once a
 * consumer is among the listed ones, every neighbour it left out (`notLoaded`) is a consumer too;
 * otherwise what it left out is of unknown type and counted as named ("more").
 */
export function heldBackCount(items: RankedNeighbour[], notLoaded: number): HeldBackCount {
  const consumers = items.filter((i) => isAnonymousType(i.entity.type)).length;
  const named = items.length - consumers;
  return consumers > 0 ? { named, consumers: consumers + notLoaded } : { named: named + notLoaded, consumers: 0 };
}

/** The badge's words: "+3 more", "184 consumers", "+3 more · 184 consumers" (the caller's `words` translate). */
export function heldBackLabel(c: HeldBackCount, words: { more: (n: string) => string; consumers: (n: string) => string }): string {
  const parts: string[] = [];
  if (c.named > 0) parts.push(words.more(c.named.toLocaleString('en-US')));
  if (c.consumers > 0) parts.push(words.consumers(c.consumers.toLocaleString('en-US')));
  return parts.join(' · ');
}

/** Held-back neighbours grouped for the chooser: by type, then relation, named types first, biggest groups first. */
export interface NeighbourGroup {
  type: string;
  relation: string;
  items: RankedNeighbour[];
}

export function groupNeighbours(items: RankedNeighbour[]): NeighbourGroup[] {
  const groups = new Map<string, NeighbourGroup>();
  for (const i of items) {
    const relation = [...i.relations].sort().join('/');
    const id = `${i.entity.type}|${relation}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { type: i.entity.type, relation, items: [] }));
    g.items.push(i);
  }
  return [...groups.values()].sort((a, b) =>
    Number(isAnonymousType(a.type)) - Number(isAnonymousType(b.type)) || b.items.length - a.items.length || a.type.localeCompare(b.type) || a.relation.localeCompare(b.relation));
}

/** Elements for chosen neighbours of `center`: their nodes and their edges to the centre. */
export function neighbourElements(chosen: RankedNeighbour[], lang: Lang): GraphElement[] {
  const out: GraphElement[] = [];
  for (const r of chosen) {
    out.push(entityToNode(r.entity, lang));
    for (const e of r.edges) out.push(apiEdgeToElement(e));
  }
  return dedupe(out);
}

/** The "+M more" badge node of a capped expansion, and its dotted edge to the expanded node. */
export function moreBadge(center: string, count: number, label: string): GraphElement[] {
  const id = `more:${center}`;
  return [
    { group: 'nodes', data: { id, key: id, type: '_more', entityId: '', name: label, nameEn: label, properties: null, label, size: 18, moreOf: center }, classes: 'more' },
    { group: 'edges', data: { id: `${id}|edge`, source: center, target: id, relation: '_more', weight: 0, width: 1 }, classes: 'more' },
  ].map((el) => ({ ...el, data: { ...el.data, count, badgeWidth: 16 + 6.5 * [...label].length } })) as GraphElement[];
}

/** Node size from a value between `lo` and `hi` (square-root scale, so area tracks the value). */
export function scaledSize(value: number, lo: number, hi: number, s = sizing): number {
  if (!(hi > lo) || !Number.isFinite(value)) return s.initial;
  const t = Math.sqrt(Math.max(0, Math.min(1, (value - lo) / (hi - lo))));
  return Math.round(s.min + t * (s.max - s.min));
}

/** Sizes for every node from a value per node (degree or score); unknown values keep the initial size. */
export function sizesBy(values: Map<string, number | undefined>, s: typeof sizing = sizing): Map<string, number> {
  const known = [...values.values()].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const lo = known.length ? Math.min(...known) : 0;
  const hi = known.length ? Math.max(...known) : 0;
  const out = new Map<string, number>();
  for (const [k, v] of values) out.set(k, typeof v === 'number' ? scaledSize(v, lo, hi, s) : s.initial);
  return out;
}

/** Formats a statistic compactly for labels and tables. */
export function fmt(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Number.isInteger(n)) return String(n);
  // Small values in plain decimals with two significant digits (0.0052, not 5.2e-3): people
  // do not read exponents; below a millionth the value is as good as zero.
  if (Math.abs(n) > 0 && Math.abs(n) < 0.01) return Math.abs(n) < 1e-6 ? (n > 0 ? '<0.000001' : '>-0.000001') : n.toFixed(Math.min(6, 1 - Math.floor(Math.log10(Math.abs(n)))));
  return n.toFixed(digits);
}

/** A p-value for a narrow table column: one significant digit, and "<0.001" below that. */
export function pValueText(p: number): string {
  if (!Number.isFinite(p)) return '–';
  if (p < 0.001) return '<0.001';
  return String(Number(p.toPrecision(1)));
}

/** A statistical link's edge label in the page's language: "lift 2.46 · n=120", "提升度 2.46 · n=120". */
export function liftLabel(lift: number, n: number, lang: Lang): string {
  return `${lang === 'zh' ? '提升度' : 'lift'} ${fmt(lift)} · n=${n}`;
}

/**
 * Elements for a demand link: source and target nodes and a dashed edge labelled with lift and
 * support (a statistic over consumers, not a stored relation).
 */
export function demandLinkElements(source: ApiEntity, link: ApiDemandLink, lang: Lang): GraphElement[] {
  return [
    entityToNode(source, lang),
    entityToNode(link.entity, lang),
    {
      group: 'edges',
      data: {
        id: edgeId(source.key, '_DEMAND', link.entity.key),
        source: source.key,
        target: link.entity.key,
        relation: '_DEMAND',
        weight: link.lift,
        width: edgeWidth(link.lift),
        label: liftLabel(link.lift, link.support, lang),
        derived: true,
      },
      classes: 'derived',
    },
  ];
}

/** A node's canvas label with its second line (an opportunity hub's figures), in the page's language. */
export function withSubLabel(d: Pick<NodeData, 'label'> & { subEn?: unknown; subZh?: unknown }, lang: Lang): string {
  const sub = lang === 'zh' ? d.subZh : d.subEn;
  const first = d.label.split('\n')[0]!;
  return typeof sub === 'string' && sub ? `${first}\n${sub}` : first;
}

/** The key of an opportunity's hub node: its interests, in a stable order. */
export function opportunityHubKey(op: Pick<ApiOpportunity, 'interests'>): string {
  return `Opportunity:${op.interests.map((i) => i.key).sort().join('+')}`;
}

/**
 * Elements for an opportunity as a star: one hub node for the unmet need ("Camping + Coffee",
 * its consumers and lift in its properties), a dashed edge from the hub to each of its interests
 * (labelled with lift and consumers), and a dotted edge from each closest product to the hub.
 * Interests + products edges, not a product-by-interest tangle.
 */
export function opportunityElements(op: ApiOpportunity, lang: Lang): GraphElement[] {
  const out: GraphElement[] = [];
  const hub = opportunityHubKey(op);
  const joined = (en: boolean) => op.interests.map((i) => (en ? i.nameEn || i.name : i.name)).join(' + ');
  const node = entityToNode({
    key: hub, id: hub.slice('Opportunity:'.length), type: 'Opportunity', name: joined(false), nameEn: joined(true),
    properties: JSON.stringify({ consumers: op.consumers, lift: Number(fmt(op.lift)), gapScore: Number(fmt(op.gapScore)) }),
  }, lang);
  // The need's figures once, under its name (the same lift on every interest's edge repeated it).
  node.data.subEn = `${op.consumers.toLocaleString('en-US')} consumers · lift ${fmt(op.lift)}`;
  node.data.subZh = `${op.consumers.toLocaleString('en-US')} 位消费者 · 提升度 ${fmt(op.lift)}`;
  node.data.label = withSubLabel(node.data, lang);
  out.push(node);
  for (const i of op.interests) {
    out.push(entityToNode(i, lang));
    out.push({
      group: 'edges',
      data: { id: edgeId(hub, '_NEED', i.key), source: hub, target: i.key, relation: '_NEED', weight: op.lift, width: edgeWidth(op.lift), derived: true },
      classes: 'derived',
    });
  }
  for (const p of op.closestProducts) {
    out.push(entityToNode(p, lang));
    out.push({
      group: 'edges',
      data: { id: edgeId(p.key, '_CLOSEST', hub), source: p.key, target: hub, relation: '_CLOSEST', weight: 1, width: 1, derived: true },
      classes: 'derived closest',
    });
  }
  return dedupe(out);
}

/** A consumer segment's part in an opportunity (`Opportunity.segments`, when the server has it). */
interface SegmentShare {
  segmentId: string;
  share: number;
  consumers: number;
  segment: { name: string; interests?: { name: string; nameEn: string | null }[] } | null;
}

/** Entities drawn per extra opportunity list (adjacent interests): more crowd the star. */
const maxExtraEntities = 5;

/**
 * What the server tells beyond the contract about an opportunity, as elements: the entities of
 * its extra lists (`entityLists`, e.g. adjacent interests, the first five) joined to the need's
 * hub by a dotted line, and its three biggest driving segments joined to the hub by their share.
 */
export function opportunityExtras(op: ApiOpportunity, entityLists: readonly string[], lang: Lang): GraphElement[] {
  const out: GraphElement[] = [];
  const hub = opportunityHubKey(op);
  const listed = new Set([...op.interests, ...op.closestProducts].map((e) => e.key));
  for (const f of entityLists) {
    // Each joined to the hub by a dotted line: a node on its own reads as left over from an earlier scene.
    for (const e of ((op[f] as ApiEntity[] | null) ?? []).filter((x) => !listed.has(x.key)).slice(0, maxExtraEntities)) {
      listed.add(e.key);
      out.push(entityToNode(e, lang));
      out.push({ group: 'edges', classes: 'derived closest', data: { id: edgeId(e.key, '_ADJACENT', hub), source: e.key, target: hub, relation: '_ADJACENT', weight: 1, width: 1, derived: true } });
    }
  }
  const shares = (op.segments as SegmentShare[] | undefined) ?? [];
  for (const s of shares.slice(0, 3)) {
    const key = `Segment:${s.segmentId}`;
    const name = s.segment?.name ?? s.segmentId;
    // The server names a segment by its largest interests' stored names; English from theirs.
    const top = (s.segment?.interests ?? []).slice(0, 3);
    const nameEn = top.length && top.every((x) => x.nameEn) ? top.map((x) => x.nameEn).join(' · ') : null;
    out.push(entityToNode({ key, id: s.segmentId, type: 'Segment', name, nameEn, properties: JSON.stringify({ consumers: s.consumers, share: s.share }) }, lang));
    // To the need's hub (opportunityElements), not to every interest: one edge a segment.
    out.push({ group: 'edges', classes: 'derived', data: { id: `${key}|_DRIVES|${hub}`, source: key, target: hub, relation: '_DRIVES', weight: s.share, width: 1 + 4 * s.share, label: `${Math.round(s.share * 100)}%`, derived: true } });
  }
  return out;
}

/** Splits an entity key "Type:id" into its type and id (ids may contain ':'). */
export function parseKey(key: string): { type: string; id: string } | null {
  const i = key.indexOf(':');
  if (i <= 0 || i === key.length - 1) return null;
  return { type: key.slice(0, i), id: key.slice(i + 1) };
}

/** Parses an entity's `properties` JSON string into displayable pairs; bad JSON gives none. */
export function propertyPairs(properties: string | null | undefined): [string, string][] {
  if (!properties) return [];
  try {
    const obj = JSON.parse(properties) as unknown;
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [];
    return Object.entries(obj as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  } catch {
    return [];
  }
}
