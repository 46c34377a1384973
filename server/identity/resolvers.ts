import DataLoader from 'dataloader';
import type { ApiContext } from '../context.js';
import type { EntityShape } from '../graph/entity.js';
import { identityOf, personsByKeys, type Person } from './identity.js';

/** Stored persons of consumer entities, batched per request. */
const personOfKey = (ctx: ApiContext) =>
  ctx.loaders.scoped('identity.personOfKey', () => new DataLoader((keys: readonly string[]) => personsByKeys(ctx.db, keys)));

async function personOf(e: EntityShape, ctx: ApiContext): Promise<Person | null> {
  if (e.type !== 'Consumer') return null;
  if (e.person !== undefined && e.person !== null) return { person: e.person, n: e.personIds ?? 1 };
  return personOfKey(ctx).load(e.key);
}

export const identityResolvers = {
  Query: {
    identity: (_: unknown, a: { consumerId: string }, ctx: ApiContext) => identityOf(ctx.db, ctx.vocabulary, ctx.config.pseudonymSecret, a.consumerId),
  },
  Entity: {
    person: async (e: EntityShape, _: unknown, ctx: ApiContext) => (await personOf(e, ctx))?.person ?? null,
    personIds: async (e: EntityShape, _: unknown, ctx: ApiContext) => (await personOf(e, ctx))?.n ?? null,
  },
};
