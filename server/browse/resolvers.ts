import { entityLookup, type ApiContext } from '../context.js';
import { resolveEntity } from '../graph/entity.js';
import { neighborhood } from './neighborhood.js';
import { searchEntities } from './search.js';

export const browseResolvers = {
  Query: {
    entity: (_: unknown, args: { id: string; type?: string | null }, ctx: ApiContext) => resolveEntity(entityLookup(ctx), args.id, args.type),
    search: (_: unknown, args: { query: string; types?: string[] | null; first: number }, ctx: ApiContext) =>
      searchEntities(ctx.db, ctx.vocabulary, args.query, args.types, args.first),
    neighborhood: (
      _: unknown,
      args: { id: string; type?: string | null; depth: number; relations?: string[] | null; limit: number },
      ctx: ApiContext,
    ) => neighborhood(entityLookup(ctx), args),
  },
};
