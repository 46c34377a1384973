import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../server/app.js';
import { addKey } from '../../server/auth/keys.js';
import { argumentRoles, fieldRoles, roleAllows, type Role } from '../../server/auth/roles.js';
import { gql } from './graphql.js';

/** A fresh keys file holding one key per role; returns its path and the keys. */
export function keysForEveryRole(): { keysFile: string; keys: Record<Role, string> } {
  const keysFile = join(mkdtempSync(join(tmpdir(), 'kg-keys-')), 'api-keys.json');
  const keys = {
    reader: addKey(keysFile, 'dashboard', 'reader'),
    service: addKey(keysFile, 'shop', 'service'),
    admin: addKey(keysFile, 'ops', 'admin'),
  } satisfies Record<Role, string>;
  return { keysFile, keys };
}

interface IntroType {
  kind: string;
  name: string | null;
  ofType: IntroType | null;
  enumValues?: { name: string }[] | null;
}
export interface IntroField {
  name: string;
  args: { name: string; defaultValue: string | null; type: IntroType }[];
  type: IntroType;
}
export interface ServedField {
  op: 'query' | 'mutation';
  key: string;
  field: IntroField;
}
/** One cell of the matrix: a root field called by a role, and whether the role may. */
export interface MatrixCell extends ServedField {
  role: Role;
  call: string;
  allowed: boolean;
  title: string;
}

const typeRef = 'kind name enumValues { name } ofType { kind name enumValues { name } ofType { kind name enumValues { name } ofType { kind name } } }';

/** A call of `field` with every required argument given a harmless value of its type. */
function callOf(field: IntroField): string {
  const value = (t: IntroType): string => {
    if (t.kind === 'NON_NULL') return value(t.ofType!);
    if (t.kind === 'LIST') return '[]';
    if (t.kind === 'ENUM') return t.enumValues![0]!.name;
    if (t.name === 'Int') return '1';
    if (t.name === 'Float') return '0.5';
    if (t.name === 'Boolean') return 'false';
    return '"x"';
  };
  const required = field.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
  const args = required.length ? `(${required.map((a) => `${a.name}: ${value(a.type)}`).join(', ')})` : '';
  let t = field.type;
  while (t.ofType) t = t.ofType;
  return `${field.name}${args}${t.kind === 'OBJECT' || t.kind === 'INTERFACE' || t.kind === 'UNION' ? ' { __typename }' : ''}`;
}

/** Every root field `app` serves, read by introspection (which needs no database). */
export async function servedRootFields(app: App, headers: Record<string, string>): Promise<ServedField[]> {
  const intro = await gql(
    app,
    `{ __schema { queryType { fields { name args { name defaultValue type { ${typeRef} } } type { ${typeRef} } } }
                   mutationType { fields { name args { name defaultValue type { ${typeRef} } } type { ${typeRef} } } } } }`,
    {},
    headers,
  );
  const schema = intro.body.data!.__schema as { queryType: { fields: IntroField[] }; mutationType: { fields: IntroField[] } | null };
  return [
    ...schema.queryType.fields.map((f) => ({ op: 'query' as const, key: `Query.${f.name}`, field: f })),
    ...(schema.mutationType?.fields ?? []).map((f) => ({ op: 'mutation' as const, key: `Mutation.${f.name}`, field: f })),
  ];
}

/**
 * The role matrix: every served root field called by every role, with the outcome the
 * access map (fieldRoles, then argumentRoles) gives it.
 */
export function matrixCells(fields: ServedField[]): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const { op, key, field } of fields) {
    const call = callOf(field);
    // An argument value with a stricter role (argumentRoles) that the generated call uses counts too.
    const rules = (argumentRoles[key] ?? []).filter((r) => call.includes(`${r.argument}: ${r.value}`));
    for (const role of ['reader', 'service', 'admin'] as Role[]) {
      const fieldNeed = fieldRoles[key];
      const need = fieldNeed && rules.reduce<Role>((n, r) => (roleAllows(n, r.role) ? n : r.role), fieldNeed);
      const allowed = Boolean(need && roleAllows(role, need));
      const title = `${key}${rules.length ? ` (${rules.map((r) => `${r.argument}: ${r.value}`).join(', ')})` : ''} as ${role}: ${allowed ? 'allowed' : 'FORBIDDEN'}`;
      cells.push({ op, key, field, role, call, allowed, title });
    }
  }
  return cells;
}
