import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';
import { requestState } from '../auth/request-state.js';

/**
 * Gives every request an id (`x-request-id` header), logs one line per API request (id,
 * method, path, status, operation, duration, caller's key name and role; never the key, the
 * variables or a consumer id), records request and error metrics, and serves `/metrics` in
 * Prometheus format to callers that passed authentication (server/auth/use-auth.ts).
 */
export function useObservability({ logger, metrics }: { logger: Logger; metrics: Metrics }): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const state = requestState(request);
      if (url.pathname !== '/metrics' || !state.caller?.role) return;
      endResponse(
        new fetchAPI.Response(await metrics.registry.metrics(), {
          status: 200,
          headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
        }),
      );
    },
    onResponse({ request, response }) {
      const state = requestState(request);
      const ms = performance.now() - state.started;
      const path = new URL(request.url, 'http://localhost').pathname;
      try {
        response.headers.set('x-request-id', state.id);
      } catch {
        // Some responses have immutable headers; the log line still carries the id.
      }
      if (path !== '/graphql') return;
      const operation = state.operation ?? 'none';
      metrics.requests.inc({ operation, status: String(response.status) });
      metrics.requestSeconds.observe({ operation }, ms / 1000);
      for (const code of state.errorCodes) metrics.errors.inc({ code });
      logger.info(
        {
          reqId: state.id,
          method: request.method,
          path,
          status: response.status,
          operation,
          operationName: state.operationName,
          ms: Math.round(ms * 10) / 10,
          caller: state.caller?.name,
          role: state.caller?.role ?? undefined,
          errors: state.errorCodes.length ? state.errorCodes : undefined,
        },
        'graphql request',
      );
    },
  };
}
