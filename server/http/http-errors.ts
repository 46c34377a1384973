import type { Plugin } from 'graphql-yoga';
import { errorResponse } from '../auth/request-state.js';

/** The code an HTTP error status answers with when nothing more specific said one. */
const codeOfStatus = (status: number): string =>
  status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 429 ? 'RATE_LIMITED' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT';

/**
 * Non-GraphQL failures as JSON with a code (issue 17, findings 9 and 11): a body over
 * `maxBodyBytes` (by its Content-Length) is refused with 413 before it is read, an empty error
 * answer (Yoga's 415, …) gets a body, and a 500 that is not our JSON (a stack trace with
 * absolute paths) is replaced by a masked one.
 */
export function useHttpErrors({ maxBodyBytes }: { maxBodyBytes: number }): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length > maxBodyBytes) {
        endResponse(errorResponse(fetchAPI, request, 413, 'BAD_USER_INPUT', `The request body is ${length} bytes; at most ${maxBodyBytes} are accepted.`));
      }
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
