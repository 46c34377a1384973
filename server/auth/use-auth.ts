import type { Plugin } from 'graphql-yoga';
import { errorResponse, requestState } from './request-state.js';
import { authenticate, type AccessPolicy } from './keys.js';

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
 * rate-limits it per key, and failed attempts per client address. Failures end the
 * request here: 401 UNAUTHENTICATED, 429 RATE_LIMITED with Retry-After. Anonymous callers
 * of the local default (loopback only) are not rate-limited: they are the machine's owner.
 */
export function useAuth({ policy, rateLimitPerMinute, trustProxy }: { policy: AccessPolicy; rateLimitPerMinute: number; trustProxy: boolean }): Plugin {
  const limiter = rateLimitPerMinute > 0 ? new RateLimiter(rateLimitPerMinute) : null;
  return {
    onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (!guarded.includes(url.pathname)) return;
      if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html') && !url.searchParams.has('query')) return;
      const state = requestState(request);
      const auth = authenticate(policy, request.headers.get('authorization'));
      const forwarded = trustProxy ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
      const address = forwarded || (serverContext as NodeServerContext).req?.socket?.remoteAddress || 'unknown';
      const limited = (who: string) => {
        const retryAfter = limiter?.take(who) ?? 0;
        if (retryAfter === 0) return false;
        endResponse(
          errorResponse(fetchAPI, request, 429, 'RATE_LIMITED', `Rate limit of ${rateLimitPerMinute} requests a minute reached; retry in ${retryAfter} s.`, {
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
    },
  };
}
