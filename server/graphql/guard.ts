import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { argumentRoles, fieldRoles, roleAllows } from '../auth/roles.js';
import type { ApiContext } from '../context.js';
import { checkArguments, fieldCost, requestCostBudget } from '../core/limits.js';
import { DomainError } from '../core/errors.js';
import { readerArguments, redactConsumersForReaders, seesConsumers } from '../auth/reader-view.js';

/**
 * Wraps every root field (Query, Mutation, Subscription) of `schema` in place with the
 * access check, the argument caps and, for readers, the consumer-argument rules, before its
 * own resolver runs; then every entity-returning field with the readers' consumer redaction. Root fields come from
 * every domain's SDL, so fields other modules add are covered without touching them.
 */
export function guardRootFields(schema: GraphQLSchema): GraphQLSchema {
  // Cost spent by each request so far (its context object is the request's).
  const spent = new WeakMap<object, number>();
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const need = fieldRoles[`${type.name}.${field.name}`];
      const argumentRules = argumentRoles[`${type.name}.${field.name}`] ?? [];
      const resolve: GraphQLFieldResolver<unknown, ApiContext> = field.resolve ?? defaultFieldResolver;
      const key = `${type.name}.${field.name}`;
      const declared = new Set(field.args.map((a) => a.name));
      field.resolve = async (source, args: Record<string, unknown>, ctx: ApiContext, info) => {
        const role = ctx.caller.role;
        if (role === null) throw new DomainError('UNAUTHENTICATED', 'An API key is required: send Authorization: Bearer KEY.');
        if (!need) throw new DomainError('FORBIDDEN', `${info.fieldName} is not open to any role.`);
        if (!roleAllows(role, need)) throw new DomainError('FORBIDDEN', `${info.fieldName} needs the ${need} role; this key has ${role}.`);
        for (const rule of argumentRules) {
          if (String(args[rule.argument]) === rule.value && !roleAllows(role, rule.role)) {
            throw new DomainError('FORBIDDEN', `${info.fieldName}(${rule.argument}: ${rule.value}) needs the ${rule.role} role; this key has ${role}. Use ${rule.instead}.`);
          }
        }
        checkArguments(info.fieldName, args);
        if (ctx && typeof ctx === 'object') {
          spent.set(ctx, (spent.get(ctx) ?? 0) + fieldCost(info.fieldName, args));
          // graphql-js starts every root field of a query in one synchronous loop: after one
          // microtask the request's whole cost is known, so either all fields run or none.
          await null;
          const total = spent.get(ctx)!;
          if (total > requestCostBudget) {
            throw new DomainError('QUERY_TOO_COMPLEX', `This request asks for more database work than one request may (${total} > ${requestCostBudget}: live opportunity windows, deep neighbourhoods and long paths cost most); split it.`);
          }
        }
        // Below service, no consumer may be named (server/auth/reader-view.ts).
        const allowedArgs = seesConsumers(role) ? args : await readerArguments(key, info.fieldName, args, ctx, declared);
        return resolve(source, allowedArgs, ctx, info);
      };
    }
  }
  // And no consumer may be shown, in any field of any type that returns entities.
  return redactConsumersForReaders(schema);
}
