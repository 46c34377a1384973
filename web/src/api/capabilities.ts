import { ApiError, type GraphQLClient } from './client.js';

// What the connected server offers, read once by introspection, so the explorer asks only for
// fields that exist (the API grows field by field) and says plainly when one is missing.

export interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: TypeRef | null;
}

export interface IntrospectedField {
  name: string;
  args?: { name: string; type: TypeRef }[];
  type: TypeRef;
}

export interface IntrospectedType {
  name: string;
  kind: string;
  fields: IntrospectedField[] | null;
  enumValues?: { name: string }[] | null;
}

export const introspectionQuery = `{
  __schema {
    queryType { name }
    types {
      name kind
      enumValues { name }
      fields { name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
    }
  }
}`;

export interface Capabilities {
  /** Root query fields by name. */
  query: Set<string>;
  /** Entity types of the EntityType enum. */
  entityTypes: string[];
  /** Numeric fields of DemandLink beyond entity/support/confidence/lift (pmi, zScore, pValue…). */
  demandFigures: string[];
  /** Scalar fields of Opportunity beyond the contract's. */
  opportunityFigures: string[];
  /** Opportunity fields listing entities (e.g. adjacent interests, segments as entities). */
  opportunityEntityLists: string[];
  /** How to read segments, when the server offers them. */
  segments: SegmentSource | null;
  /** Opportunity.segments as segment shares ({ segmentId share consumers segment { name } }). */
  opportunitySegments: boolean;
  /** Root `segmentOf(keys)` answering { key segment } for colouring a scene. */
  segmentOf: boolean;
  /** Arguments each root field takes. */
  args: Map<string, Set<string>>;
  /** Edge carries `firstTs`/`lastTs` (Unix seconds): the filter panel's time window reads them. */
  edgeTimes?: boolean;
  /** Entity carries `person`/`personIds` (identity stitching, issue 18): one node a person. */
  entityPerson?: boolean;
  /** AudienceReport's numeric fields, when the server has `audienceReport`. */
  audienceReportFields?: string[];
}

/** Extra demand-link figures worth a table column, in order of preference (significance first). */
export const preferredDemandFigures = ['zScore', 'pValue', 'significance', 'pmi', 'share'];

/** A root field listing segments, each with an id/name and a list of member entities. */
export interface SegmentSource {
  field: string;
  idField: string;
  labelField: string | null;
  membersField: string;
  /** Member list holds Entity objects (read `key`) or plain keys. */
  membersAreEntities: boolean;
}

function named(t: TypeRef | null | undefined): TypeRef | null {
  let cur = t ?? null;
  while (cur && (cur.kind === 'NON_NULL' || cur.kind === 'LIST')) cur = cur.ofType ?? null;
  return cur;
}

function isList(t: TypeRef | null | undefined): boolean {
  let cur = t ?? null;
  while (cur) {
    if (cur.kind === 'LIST') return true;
    cur = cur.ofType ?? null;
  }
  return false;
}

const numeric = new Set(['Int', 'Float']);

/** Capabilities from an introspection answer (`__schema`). */
export function capabilitiesFrom(schema: { queryType: { name: string }; types: IntrospectedType[] }): Capabilities {
  const types = new Map(schema.types.map((t) => [t.name, t]));
  const q = types.get(schema.queryType.name);
  const rootFields = q?.fields ?? [];
  const fieldsOf = (name: string) => types.get(name)?.fields ?? [];
  const scalarExtras = (name: string, known: string[]) =>
    fieldsOf(name)
      .filter((f) => !known.includes(f.name) && !isList(f.type) && numeric.has(named(f.type)?.name ?? ''))
      .map((f) => f.name);
  let segments: SegmentSource | null = null;
  const segField = rootFields.find((f) => /^segments$/i.test(f.name) && isList(f.type) && !(f.args ?? []).some((a) => a.type.kind === 'NON_NULL'));
  if (segField) {
    const segType = named(segField.type)?.name ?? '';
    const fs = fieldsOf(segType);
    const members = fs.find((f) => isList(f.type) && (named(f.type)?.name === 'Entity' || named(f.type)?.name === 'ID' || named(f.type)?.name === 'String'));
    const idField = fs.find((f) => f.name === 'id') ?? fs.find((f) => f.name === 'key');
    if (members && idField) {
      segments = {
        field: segField.name,
        idField: idField.name,
        labelField: fs.find((f) => ['name', 'label'].includes(f.name))?.name ?? null,
        membersField: members.name,
        membersAreEntities: named(members.type)?.name === 'Entity',
      };
    }
  }
  return {
    query: new Set(rootFields.map((f) => f.name)),
    entityTypes: (types.get('EntityType')?.enumValues ?? []).map((v) => v.name),
    demandFigures: scalarExtras('DemandLink', ['support', 'confidence', 'lift'])
      .filter((f) => preferredDemandFigures.includes(f))
      .sort((a, b) => preferredDemandFigures.indexOf(a) - preferredDemandFigures.indexOf(b))
      .slice(0, 2),
    opportunityFigures: scalarExtras('Opportunity', ['consumers', 'lift', 'gapScore']).filter((f) => ['zScore', 'servingProducts', 'excessConsumers', 'coverage', 'gap'].includes(f)),
    opportunityEntityLists: fieldsOf('Opportunity')
      .filter((f) => isList(f.type) && named(f.type)?.name === 'Entity' && !['interests', 'closestProducts'].includes(f.name))
      .map((f) => f.name),
    segments,
    opportunitySegments: (() => {
      const f = fieldsOf('Opportunity').find((x) => x.name === 'segments' && isList(x.type));
      const names = new Set(fieldsOf(named(f?.type)?.name ?? '').map((x) => x.name));
      return !!f && names.has('segmentId') && names.has('share') && names.has('segment');
    })(),
    segmentOf: rootFields.some((f) => f.name === 'segmentOf' && (f.args ?? []).some((a) => a.name === 'keys')),
    args: new Map(rootFields.map((f) => [f.name, new Set((f.args ?? []).map((a) => a.name))])),
    edgeTimes: ['firstTs', 'lastTs'].every((n) => fieldsOf('Edge').some((f) => f.name === n)),
    entityPerson: ['person', 'personIds'].every((n) => fieldsOf('Entity').some((f) => f.name === n)),
    audienceReportFields: fieldsOf('AudienceReport').filter((f) => numeric.has(named(f.type)?.name ?? '')).map((f) => f.name),
  };
}

/** Root query fields and their arguments every server answers (CONTRACT.md, "GraphQL"). */
const contractFields: Record<string, string[]> = {
  entity: ['id', 'type'],
  search: ['query', 'types', 'first'],
  neighborhood: ['id', 'type', 'depth', 'relations', 'limit'],
  recommendProducts: ['consumerId', 'first', 'exploration'],
  related: ['id', 'type', 'targetType', 'first', 'exploration'],
  demandLinks: ['id', 'type', 'targetType', 'first'],
  paths: ['from', 'fromType', 'to', 'toType', 'maxLength', 'first'],
  productOpportunities: ['first', 'minConsumers'],
  lookalikes: ['consumerId', 'first'],
  stats: [],
};

/** The contract's entity types (a schema file may add more; stats.byType names them). */
export const contractEntityTypes: readonly string[] = ['Consumer', 'Product', 'Interest'];

/**
 * What a server offers when it refuses introspection (production turns it off): the contract's
 * fields and nothing beyond them, so every query the explorer builds is one any server answers.
 */
export function contractCapabilities(entityTypes: readonly string[] = contractEntityTypes): Capabilities {
  return {
    query: new Set(Object.keys(contractFields)),
    entityTypes: [...entityTypes],
    demandFigures: [],
    opportunityFigures: [],
    opportunityEntityLists: [],
    segments: null,
    opportunitySegments: false,
    segmentOf: false,
    args: new Map(Object.entries(contractFields).map(([f, a]) => [f, new Set(a)])),
  };
}

/**
 * Reads the server's capabilities by introspection. A server that refuses it gets the contract's
 * (`fromContract` true); null while the API cannot be reached, so the caller asks again later.
 */
export async function loadCapabilities(client: Pick<GraphQLClient, 'request'>): Promise<{ caps: Capabilities; fromContract: boolean } | null> {
  try {
    const data = await client.request<{ __schema: { queryType: { name: string }; types: IntrospectedType[] } }>(introspectionQuery);
    return { caps: capabilitiesFrom(data.__schema), fromContract: false };
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'unavailable') return null;
    return { caps: contractCapabilities(), fromContract: true };
  }
}
