import { lookalikes, recommendProducts, related, type EngineDeps } from './engine.js';
import type { ApiContext } from '../context.js';
import { audience, audienceReport } from './audience/service.js';

const deps = (ctx: ApiContext): EngineDeps => ({ db: ctx.db, vocabulary: ctx.vocabulary, pseudonymSecret: ctx.config.pseudonymSecret, model: ctx.recommendModel });

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

interface AudienceArgs {
  id: string;
  type: string;
  size: number;
  exploration: number;
  under: boolean;
}

export const recommendationsResolvers = {
  Query: {
    recommendProducts: (_: unknown, a: RecommendArgs, ctx: ApiContext) =>
      recommendProducts(deps(ctx), a.consumerId, a.first, a.exploration),
    related: (_: unknown, a: RelatedArgs, ctx: ApiContext) =>
      related(deps(ctx), a.id, a.type ?? undefined, a.targetType, a.first, a.exploration),
    lookalikes: (_: unknown, a: Omit<RecommendArgs, 'exploration'>, ctx: ApiContext) =>
      lookalikes(deps(ctx), a.consumerId, a.first),
    audience: (_: unknown, a: AudienceArgs, ctx: ApiContext) =>
      audience({ ...deps(ctx), kAnonymity: ctx.config.kAnonymity }, a.id, a.type, a.size, a.exploration, a.under),
    audienceReport: (_: unknown, a: AudienceArgs, ctx: ApiContext) =>
      audienceReport({ ...deps(ctx), kAnonymity: ctx.config.kAnonymity }, a.id, a.type, a.size, a.under),
  },
};
