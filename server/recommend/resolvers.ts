import { lookalikes, recommendProducts, related, type EngineDeps } from './engine.js';
import { RecommendInputError, RecommendNotFoundError } from './errors.js';
import type { ApiContext } from '../core/context.js';
import { apiError } from '../graphql/errors.js';

const deps = (ctx: ApiContext): EngineDeps => ({ db: ctx.db, vocabulary: ctx.vocabulary, pseudonymSecret: ctx.config.pseudonymSecret });

/** Domain errors to contract codes; database errors pass to the central mapping. */
async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RecommendNotFoundError) throw apiError('NOT_FOUND', error.message);
    if (error instanceof RecommendInputError) throw apiError('BAD_USER_INPUT', error.message);
    throw error;
  }
}

interface RecommendArgs {
  consumerId: string;
  first: number;
  exploration: number;
}

interface RelatedArgs {
  id: string;
  type?: string | null;
  targetType: string;
  first: number;
  exploration: number;
}

export const recommendationsResolvers = {
  Query: {
    recommendProducts: (_: unknown, a: RecommendArgs, ctx: ApiContext) =>
      mapped(() => recommendProducts(deps(ctx), a.consumerId, a.first, a.exploration)),
    related: (_: unknown, a: RelatedArgs, ctx: ApiContext) =>
      mapped(() => related(deps(ctx), a.id, a.type ?? undefined, a.targetType, a.first, a.exploration)),
    lookalikes: (_: unknown, a: Omit<RecommendArgs, 'exploration'>, ctx: ApiContext) =>
      mapped(() => lookalikes(deps(ctx), a.consumerId, a.first)),
  },
};
