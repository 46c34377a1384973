import { randomUUID } from 'node:crypto';
import type { Caller } from './roles.js';

/** What the plugins learn about one HTTP request, for its log line and metrics. */
export interface RequestState {
  id: string;
  started: number;
  caller?: Caller;
  /** Root fields of the executed operation ("search,entity"), a bounded set of labels. */
  operation?: string;
  /** The client's operation name, for logs only (free text, so never a metric label). */
  operationName?: string;
  /** Contract codes of the errors this request answered with. */
  errorCodes: string[];
}

const states = new WeakMap<Request, RequestState>();

/** The state of `request`, created on first use. */
export function requestState(request: Request): RequestState {
  let state = states.get(request);
  if (!state) {
    const given = request.headers.get('x-request-id');
    // A client's request id is kept if it is a plain token, so logs can be joined across services.
    const id = given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    state = { id, started: performance.now(), errorCodes: [] };
    states.set(request, state);
  }
  return state;
}

/** A GraphQL-over-HTTP error response that carries a contract code. */
export function errorResponse(
  fetchAPI: { Response: typeof Response },
  request: Request,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  requestState(request).errorCodes.push(code);
  const accept = request.headers.get('accept') ?? '';
  const type = accept.includes('application/graphql-response+json') ? 'application/graphql-response+json' : 'application/json';
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', ...headers },
  });
}
