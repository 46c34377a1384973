import { entityKey } from './vocabulary.js';

/** The GraphQL `Entity` shape. */
export interface EntityShape {
  key: string;
  id: string;
  type: string;
  name: string;
  nameEn: string | null;
  properties: string | null;
}

/** Node properties that are shown as Entity fields, not repeated in `properties`. */
const ownFields = new Set(['id', 'key', 'name', 'name_en']);

/**
 * Shapes an entity node's properties (as returned by `Database.read`) and its type into the
 * API's Entity. Queries return `n {.*} AS props, <type> AS type`; see server/cypher.
 */
export function toEntity(props: Record<string, unknown>, type: string): EntityShape {
  const id = String(props.id);
  // Properties starting with '_' are derived or loader bookkeeping, never shown.
  const rest = Object.fromEntries(Object.entries(props).filter(([k]) => !ownFields.has(k) && !k.startsWith('_')));
  return {
    key: typeof props.key === 'string' ? props.key : entityKey(type, id),
    id,
    type,
    name: typeof props.name === 'string' ? props.name : id,
    nameEn: typeof props.name_en === 'string' ? props.name_en : null,
    properties: Object.keys(rest).length ? JSON.stringify(rest) : null,
  };
}
