import type { Plugin } from 'graphql-yoga';
import { errorResponse, requestState } from './request-state.js';
import { authenticate, isLoopbackHost, type AccessPolicy } from './keys.js';
import { roleAllows } from './roles.js';

/** Headers a reverse proxy adds: a request carrying one was relayed for someone else. */
const proxyHeaders = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via'];

/**
 * The client address: the socket's, or with `trustProxy` the rightmost X-Forwarded-For entry,
 * the one our own proxy appended (leftmost entries are whatever the client sent: trusting
 * them let any client pick its rate-limit bucket).
 */
export function clientAddress(headers: Headers, socketAddress: string | undefined, trustProxy: boolean): string {
  const hops = trustProxy ? (headers.get('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean) : [];
  return hops.at(-1) || socketAddress || 'unknown';
}

/** Paths whose callers are authenticated (GraphiQL's HTML page is not data and passes). */
const guarded = ['/graphql', '/metrics'];

interface NodeServerContext {
  req?: { socket?: { remoteAddress?: string } };
}

/** A fixed one-minute window per caller: simple, memory-bounded by pruning at each window. */
class RateLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();
  constructor(private readonly perMinute: number) {}

  /** Seconds until `who` may call again, or 0 when this call is within the limit. */
  take(who: string, now = Date.now()): number {
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.counts.clear();
    }
    const n = (this.counts.get(who) ?? 0) + 1;
    this.counts.set(who, n);
    return n > this.perMinute ? Math.ceil((this.windowStart + 60_000 - now) / 1000) : 0;
  }
}

/**
 * Authenticates every API request (Bearer key, or the local default's anonymous role) and
 * rate-limits it per key, anonymous callers and failed attempts per client address. Failures
 * end the request here: 401 UNAUTHENTICATED, 429 RATE_LIMITED with Retry-After. An anonymous
 * caller gets the local default's role only when it is this machine speaking for itself: a
 * request relayed by a proxy (TRUST_PROXY, or a forwarding header) or from a non-loopback
 * socket is at most `reader`, so behind a reverse proxy nobody is anonymous `service`.
 */
export function useAuth({
  policy,
  rateLimitPerMinute,
  anonymousRateLimitPerMinute = rateLimitPerMinute,
  trustProxy,
}: {
  policy: AccessPolicy;
  rateLimitPerMinute: number;
  anonymousRateLimitPerMinute?: number;
  trustProxy: boolean;
}): Plugin {
  const limiter = rateLimitPerMinute > 0 ? new RateLimiter(rateLimitPerMinute) : null;
  const anonymousLimiter = anonymousRateLimitPerMinute > 0 ? new RateLimiter(anonymousRateLimitPerMinute) : null;
  return {
    onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (!guarded.includes(url.pathname)) return;
      if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html') && !url.searchParams.has('query')) return;
      const state = requestState(request);
      const auth = authenticate(policy, request.headers.get('authorization'));
      const socketAddress = (serverContext as NodeServerContext).req?.socket?.remoteAddress;
      const address = clientAddress(request.headers, socketAddress, trustProxy);
      const limited = (who: string, using = limiter, perMinute = rateLimitPerMinute) => {
        const retryAfter = using?.take(who) ?? 0;
        if (retryAfter === 0) return false;
        endResponse(
          errorResponse(fetchAPI, request, 429, 'RATE_LIMITED', `Rate limit of ${perMinute} requests a minute reached; retry in ${retryAfter} s.`, {
            'retry-after': String(retryAfter),
          }),
        );
        return true;
      };
      if (!auth.ok) {
        // Failed attempts count against the address, which slows down key guessing.
        if (limited(`ip:${address}`)) return;
        endResponse(errorResponse(fetchAPI, request, 401, 'UNAUTHENTICATED', auth.reason, { 'www-authenticate': 'Bearer' }));
        return;
      }
      const relayed = trustProxy || proxyHeaders.some((h) => request.headers.has(h)) || (socketAddress !== undefined && !isLoopbackHost(socketAddress));
      if (auth.caller.name === 'anonymous' && auth.caller.role && relayed && roleAllows(auth.caller.role, 'service')) {
        auth.caller = { name: 'anonymous', role: 'reader' };
      }
      state.caller = auth.caller;
      if (auth.caller.role === null) {
        endResponse(
          errorResponse(fetchAPI, request, 401, 'UNAUTHENTICATED', 'An API key is required: send Authorization: Bearer KEY.', {
            'www-authenticate': 'Bearer',
          }),
        );
        return;
      }
      if (auth.caller.name !== 'anonymous') limited(`key:${auth.caller.name}`);
      else limited(`anonymous:${address}`, anonymousLimiter, anonymousRateLimitPerMinute);
    },
  };
}
