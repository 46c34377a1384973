import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { getOperationAST, GraphQLError, type ExecutionResult, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestState } from '../auth/request-state.js';
import { apiError, toClientError } from './errors.js';

/**
 * Query limits, chosen so the deepest real query (recommendProducts → reasons → path → nodes
 * → fields, depth 5) and GraphiQL's introspection pass with room to spare, while a query
 * built to multiply work is refused before it reaches Neo4j.
 */
export const queryLimits = {
  maxDepth: 8,
  /**
   * Armor's cost: objects 2, scalars 1, children weighted 1.5 per level, times a literal
   * `first`. recommendProducts(first: 100) with reasons and paths costs about 5 100.
   */
  maxCost: 20_000,
  /** Each alias of a root field is another trip to Neo4j. */
  maxAliases: 10,
  maxTokens: 2_000,
  maxDirectives: 20,
};

const markTooComplex = (_ctx: unknown, error: GraphQLError) => {
  // Armor reports a plain GraphQLError; give it the contract's code before it is sent.
  (error.extensions as Record<string, unknown>).code = 'QUERY_TOO_COMPLEX';
};

/** graphql-armor's limits, every rejection coded QUERY_TOO_COMPLEX. */
export function armorPlugins(production: boolean): Plugin[] {
  const reject = { onReject: [markTooComplex], propagateOnRejection: true, exposeLimits: true };
  const armor = new EnvelopArmor({
    maxDepth: { n: queryLimits.maxDepth, ...reject },
    costLimit: { maxCost: queryLimits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ...reject },
    maxAliases: { n: queryLimits.maxAliases, ...reject },
    maxTokens: { n: queryLimits.maxTokens, ...reject },
    maxDirectives: { n: queryLimits.maxDirectives, ...reject },
    // "Did you mean …?" hints reveal the schema; off where introspection is off by default.
    blockFieldSuggestion: { enabled: production },
  });
  return armor.protect().plugins as Plugin[];
}

/** Root fields of the operation, as a bounded metric label. */
function operationLabel(document: Parameters<typeof getOperationAST>[0], operationName?: string | null): string {
  const op = getOperationAST(document, operationName);
  if (!op) return 'invalid';
  const fields = [...new Set(op.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : '…')))].sort();
  return fields.length > 3 ? 'multiple' : fields.join(',');
}

/**
 * Refuses `__schema` and `__type` (not `__typename`, which clients need). Our own rule, not
 * graphql's NoSchemaIntrospectionCustomRule: that one compares type objects, which fails
 * where a bundler or test runner loads two copies of graphql.
 */
function noIntrospection(context: ValidationContext) {
  return {
    Field(node: { name: { value: string } }) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        context.reportError(
          new GraphQLError(`GraphQL introspection is disabled here; "${node.name.value}" is not allowed.`, {
            nodes: node as never,
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
      }
    },
  };
}

/**
 * Request-level guards: a whole-request timeout (TIMEOUT), introspection off unless allowed,
 * and every error of every result given a contract code (GraphQL's own syntax, validation
 * and coercion errors become BAD_USER_INPUT) and counted.
 */
export function useRequestGuards({ timeoutMs, introspection }: { timeoutMs: number; introspection: boolean }): Plugin {
  return {
    onValidate({ addValidationRule }) {
      if (!introspection) addValidationRule(noIntrospection);
    },
    onExecute({ args, setExecuteFn, executeFn }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request) {
        const state = requestState(request);
        // operationName arrives as the client sent it; Yoga refuses non-strings later.
        const name = typeof args.operationName === 'string' ? args.operationName : undefined;
        state.operation = operationLabel(args.document, name);
        state.operationName = (name ?? getOperationAST(args.document, name)?.name?.value)?.slice(0, 100);
      }
      setExecuteFn(async (execArgs) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(
            () => resolve({ data: null, errors: [apiError('TIMEOUT', `The request took longer than ${timeoutMs} ms and was stopped; narrow it down and retry.`)] }),
            timeoutMs,
          );
        });
        try {
          return await Promise.race([executeFn(execArgs) as Promise<ExecutionResult>, timeout]);
        } finally {
          clearTimeout(timer);
        }
      });
    },
    onExecutionResult({ result, setResult, request }) {
      if (!result || Symbol.asyncIterator in result) return;
      const errors = result.errors?.map((e) => toClientError(e));
      if (!errors?.length) return;
      requestState(request).errorCodes.push(...errors.map((e) => String(e.extensions.code)));
      setResult({ ...result, errors });
    },
  };
}
