import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/neo4j.js';

/**
 * `GET /health`: 200 `{"status":"ok","neo4j":"up"}` when Neo4j answers, 503 with
 * `"neo4j":"down"` when it does not, within `answerMs` whatever Neo4j does: a frozen Neo4j
 * held the answer as long as it was frozen (issue 17, finding 10). Concurrent checks share
 * one ping, so polling a frozen database does not pile up connection attempts.
 */
export function useHealth({ db, path = '/health', answerMs = 1_500 }: { db: Database; path?: string; answerMs?: number }): Plugin {
  let inFlight: Promise<boolean> | null = null;
  const ping = () =>
    (inFlight ??= db.ping().then(
      () => true,
      () => false,
    ).finally(() => {
      inFlight = null;
    }));
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const body = JSON.stringify({ errors: [{ message: 'GET or HEAD only.', extensions: { code: 'BAD_USER_INPUT' } }] });
        endResponse(new fetchAPI.Response(body, { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'application/json' } }));
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), answerMs);
      });
      const up = await Promise.race([ping(), late]);
      clearTimeout(timer);
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
