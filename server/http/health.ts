import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/neo4j.js';

/**
 * `GET /health`: 200 `{"status":"ok","neo4j":"up"}` when Neo4j answers, 503 with
 * `"neo4j":"down"` when it does not.
 */
export function useHealth({ db, path = '/health' }: { db: Database; path?: string }): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      let up = true;
      try {
        await db.ping();
      } catch {
        up = false;
      }
      const body = JSON.stringify(up ? { status: 'ok', neo4j: 'up' } : { status: 'degraded', neo4j: 'down' });
      endResponse(
        new fetchAPI.Response(body, {
          status: up ? 200 : 503,
          headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
