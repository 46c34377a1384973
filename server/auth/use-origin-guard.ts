import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './request-state.js';
import { isLoopbackHost } from './keys.js';

/**
 * Refuses what a foreign web page could make a browser send (issue 17, finding 6):
 * a Host header that is not this server's (DNS rebinding: evil.example resolving to
 * 127.0.0.1 makes the page same-origin with a local instance), and an `Origin` that is neither
 * this server's own nor on the CORS allow-list (a page driving the API with simple requests).
 * `allowedHosts` null: no Host check (bound beyond loopback, where keys protect every call).
 * Answers 403 FORBIDDEN as JSON.
 */
export function useOriginGuard({ allowedHosts, corsOrigins }: { allowedHosts: string[] | null; corsOrigins: string[] }): Plugin {
  const hosts = allowedHosts && new Set(allowedHosts.map((h) => h.toLowerCase()));
  const anyOrigin = corsOrigins.includes('*');
  const origins = new Set(corsOrigins);
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      const host = (request.headers.get('host') ?? url.host).toLowerCase();
      if (hosts) {
        const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
        if (!isLoopbackHost(name) && !hosts.has(name)) {
          endResponse(errorResponse(fetchAPI, request, 403, 'FORBIDDEN', 'This server answers only to its own host name (DNS rebinding protection); add the name to ALLOWED_HOSTS.'));
          return;
        }
      }
      const origin = request.headers.get('origin');
      if (origin === null || anyOrigin || origins.has(origin)) return;
      if (origin === `${url.protocol}//${host}`) return;
      endResponse(errorResponse(fetchAPI, request, 403, 'FORBIDDEN', 'Cross-origin requests are not allowed from this origin; list it in CORS_ORIGINS.'));
    },
  };
}
