import type { Plugin } from 'graphql-yoga';
import { errorResponse } from '../auth/request-state.js';

/** The code an HTTP error status answers with when nothing more specific said one. */
const codeOfStatus = (status: number): string =>
  status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 429 ? 'RATE_LIMITED' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT';

/**
 * A body sent without Content-Length (chunked), read up to `limit` bytes: its text, or null as
 * soon as it passes the limit, so no more than `limit` bytes are ever held for it.
 */
async function readLimited(request: Request, limit: number): Promise<string | null> {
  const reader = request.body!.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    length += value.byteLength;
    if (length > limit) {
      void reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
}

/**
 * Non-GraphQL failures as JSON with a code (issue 17, findings 9 and 11): a body over
 * `maxBodyBytes` is refused with 413 (by its Content-Length before it is read, a chunked one as
 * soon as it passes the limit), an empty error answer (Yoga's 415, …) gets a body, and a 500
 * that is not our JSON (a stack trace with absolute paths) is replaced by a masked one.
 */
export function useHttpErrors({ maxBodyBytes }: { maxBodyBytes: number }): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length > maxBodyBytes) {
        endResponse(errorResponse(fetchAPI, request, 413, 'BAD_USER_INPUT', `The request body is ${length} bytes; at most ${maxBodyBytes} are accepted.`));
      }
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser || request.body === null || request.headers.has('content-length')) return;
      setRequestParser(async (streamed) => {
        const text = await readLimited(streamed, maxBodyBytes);
        if (text === null) return errorResponse(fetchAPI, streamed, 413, 'BAD_USER_INPUT', `The request body is over ${maxBodyBytes} bytes (chunked); at most ${maxBodyBytes} are accepted.`);
        return requestParser(new fetchAPI.Request(streamed.url, { method: streamed.method, headers: streamed.headers, body: text }));
      });
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (response.status < 400) return;
      const type = response.headers.get('content-type') ?? '';
      const json = type.includes('json');
      if (response.body !== null && (json || response.status !== 500)) return;
      const replaced = errorResponse(
        fetchAPI,
        request,
        response.status,
        codeOfStatus(response.status),
        response.status === 500 ? 'Unexpected error.' : `HTTP ${response.status}: ${response.statusText || 'the request was not accepted'}.`,
      );
      for (const name of ['allow', 'accept', 'retry-after', 'www-authenticate']) {
        const value = response.headers.get(name);
        if (value) replaced.headers.set(name, value);
      }
      setResponse(replaced);
    },
  };
}
