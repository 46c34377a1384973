import { ApiError, type GraphQLClient } from './client.js';

// Who the explorer speaks to the API as: the key this tab sends (session storage), and what the
// server says of it (`apiCaller`). A server with keys answers a keyless or wrong key with
// UNAUTHENTICATED; then the page asks for a key once (ui/api-key-prompt.ts).

export const apiCallerQuery = '{ apiCaller { name role } }';

/** The calling key as the server names it; "anonymous" under the local default. */
export interface ApiCallerInfo {
  name: string;
  role: string;
}

/**
 * `open`: the server answers without a key (the local default); `signed-in`: it knows the key
 * sent; `needs-key`: it refused the request (no key, or one it does not know; `reason` is its
 * message); `unknown`: not asked yet, or the server is too old to say (no `apiCaller`) or down.
 */
export type AccessState =
  | { kind: 'unknown' }
  | { kind: 'open'; caller: ApiCallerInfo }
  | { kind: 'signed-in'; caller: ApiCallerInfo }
  | { kind: 'needs-key'; reason: string };

/** Asks the server who this tab is (`hasKey`: a key is being sent). */
export async function checkAccess(client: Pick<GraphQLClient, 'request'>, hasKey: boolean): Promise<AccessState> {
  try {
    const { apiCaller } = await client.request<{ apiCaller: ApiCallerInfo }>(apiCallerQuery);
    return { kind: hasKey ? 'signed-in' : 'open', caller: apiCaller };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') return { kind: 'needs-key', reason: e.message };
    return { kind: 'unknown' };
  }
}

/**
 * Whether a refused request should bring up the key prompt, given what is known: a server that
 * answers without a key refuses only what needs one of its own (saved scenes), never prompting;
 * a key that worked and is refused now (revoked, or a server with other keys) prompts, and so
 * does a role too small for what was asked (FORBIDDEN). A server not asked yet leaves it to the
 * start-up check.
 */
export function promptsFor(state: AccessState, code: string): boolean {
  if (code === 'FORBIDDEN') return state.kind === 'signed-in' || state.kind === 'open';
  if (code === 'UNAUTHENTICATED') return state.kind === 'signed-in' || state.kind === 'needs-key';
  return false;
}
