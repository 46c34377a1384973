import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Plugin } from 'graphql-yoga';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the built web explorer (`web/dist`) for GET requests outside the API paths; unknown
 * paths fall back to index.html so deep links work.
 */
export function useStaticWeb({ root, apiPaths }: { root: string; apiPaths: string[] }): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (apiPaths.some((p) => url.pathname === p || url.pathname.startsWith(p + '/'))) return;
      const index = join(root, 'index.html');
      if (!existsSync(index)) {
        endResponse(
          new fetchAPI.Response('The web explorer is not built: run `npm run build:web`.', {
            status: 503,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
        return;
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(url.pathname);
      } catch {
        // A malformed escape (GET /%E0%A4%A) answered 500 with a stack trace.
        const body = JSON.stringify({ errors: [{ message: 'The path is not valid percent-encoding.', extensions: { code: 'BAD_USER_INPUT' } }] });
        endResponse(new fetchAPI.Response(body, { status: 400, headers: { 'content-type': 'application/json; charset=utf-8' } }));
        return;
      }
      let path = normalize(join(root, decoded));
      // Never serve outside the web root.
      if (!path.startsWith(root + sep) && path !== root) path = index;
      if (!existsSync(path) || statSync(path).isDirectory()) path = index;
      const type = contentTypes[extname(path)] ?? 'application/octet-stream';
      const immutable = path.includes(`${sep}assets${sep}`);
      endResponse(
        new fetchAPI.Response(readFileSync(path), {
          status: 200,
          headers: {
            'content-type': type,
            'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          },
        }),
      );
    },
  };
}
