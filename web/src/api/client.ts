// A small GraphQL-over-HTTP client with the states the UI shows: loading (requests in flight),
// down (the API or its database does not answer; retried with backoff), and errors with the
// contract's codes.

/** Why a request failed. `unavailable` is retried; the others are the caller's to show. */
export type FailureKind = 'unavailable' | 'unsupported' | 'rejected';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    /** The contract's `extensions.code`, or NETWORK / HTTP_<status>. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiStatus {
  /** Requests in flight. */
  pending: number;
  /** True while the API or database is unreachable and requests are being retried. */
  down: boolean;
  /** Seconds until the next retry while down. */
  retryIn?: number;
  lastError?: string;
}

export interface ClientOptions {
  endpoint?: string;
  fetch?: typeof fetch;
  /** Attempts for an unavailable API before giving up (the UI offers a manual retry then). */
  attempts?: number;
  /** First backoff delay; doubled each attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  onStatus?: (s: ApiStatus) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Extra headers of every request, read each time (the API key the user gave, if any). */
  headers?: () => Record<string, string>;
  /** A request was refused for who is asking (UNAUTHENTICATED, FORBIDDEN): the page may ask for a key. */
  onRefused?: (e: ApiError) => void;
  /** Rewrites each query before it is sent (read each time): e.g. Entity fields only some servers have. */
  rewrite?: (query: string) => string;
}

const refusalCodes = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

const retryableCodes = new Set(['DATABASE_UNAVAILABLE', 'NETWORK', 'HTTP_502', 'HTTP_503', 'HTTP_504']);

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Classifies a GraphQL error list into one ApiError (first error wins). */
export function errorFromBody(errors: NonNullable<GraphQLBody<unknown>['errors']>, status: number): ApiError {
  const first = errors[0]!;
  const code = first.extensions?.code ?? (status === 400 ? 'GRAPHQL_VALIDATION_FAILED' : 'UNKNOWN');
  if (retryableCodes.has(code)) return new ApiError(first.message, 'unavailable', code);
  // A field the server does not have (yet): validation errors name it, whatever code the server gives them.
  if (/Cannot query field "\w+" on type|Unknown argument "\w+" on field|Unknown type "\w+"/.test(first.message)) {
    return new ApiError(first.message, 'unsupported', code);
  }
  return new ApiError(first.message, 'rejected', code);
}

/** A GraphQL client that retries while the API is down and reports its status. */
export class GraphQLClient {
  private status: ApiStatus = { pending: 0, down: false };
  private readonly o: Required<Omit<ClientOptions, 'onStatus' | 'onRefused' | 'rewrite'>> & Pick<ClientOptions, 'onStatus' | 'onRefused' | 'rewrite'>;

  constructor(options: ClientOptions = {}) {
    this.o = {
      endpoint: '/graphql',
      fetch: (...a) => globalThis.fetch(...a),
      attempts: 6,
      baseDelayMs: 1000,
      maxDelayMs: 10_000,
      timeoutMs: 20_000,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      headers: () => ({}),
      ...options,
    };
  }

  get current(): ApiStatus {
    return { ...this.status };
  }

  private set(patch: Partial<ApiStatus>): void {
    this.status = { ...this.status, ...patch };
    this.o.onStatus?.(this.current);
  }

  private async once<T>(query: string, variables: Record<string, unknown>, partial: boolean): Promise<T> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.o.timeoutMs);
    let res: Response;
    try {
      res = await this.o.fetch(this.o.endpoint, {
        method: 'POST',
        headers: { ...this.o.headers(), 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query: this.o.rewrite ? this.o.rewrite(query) : query, variables }),
        signal: ctrl.signal,
      });
    } catch (e) {
      throw new ApiError(ctrl.signal.aborted ? 'The API did not answer in time.' : 'The API cannot be reached.', 'unavailable', 'NETWORK');
    } finally {
      clearTimeout(timer);
    }
    let body: GraphQLBody<T>;
    try {
      body = (await res.json()) as GraphQLBody<T>;
    } catch {
      const code = `HTTP_${res.status}`;
      throw new ApiError(`The API answered ${res.status} without GraphQL.`, retryableCodes.has(code) ? 'unavailable' : 'rejected', code);
    }
    // With `partial`, aliases that failed (e.g. one entity of a deep link is gone) come back null.
    if (body.errors?.length && !(partial && body.data)) throw errorFromBody(body.errors, res.status);
    if (!body.data) throw new ApiError('The API answered without data.', 'rejected', `HTTP_${res.status}`);
    return body.data;
  }

  /**
   * Runs a query. While the API is unavailable it retries with exponential backoff (status
   * `down` with a countdown), then throws the last error.
   */
  async request<T>(query: string, variables: Record<string, unknown> = {}, opts: { partial?: boolean } = {}): Promise<T> {
    this.set({ pending: this.status.pending + 1 });
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const data = await this.once<T>(query, variables, opts.partial ?? false);
          if (this.status.down) this.set({ down: false, retryIn: undefined, lastError: undefined });
          return data;
        } catch (e) {
          const err = e instanceof ApiError ? e : new ApiError(String(e), 'rejected', 'UNKNOWN');
          if (err.kind !== 'unavailable' || attempt >= this.o.attempts) {
            if (err.kind === 'unavailable') this.set({ down: true, retryIn: undefined, lastError: err.message });
            if (refusalCodes.has(err.code)) this.o.onRefused?.(err);
            throw err;
          }
          const delay = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
          this.set({ down: true, retryIn: Math.round(delay / 1000), lastError: err.message });
          await this.o.sleep(delay);
        }
      }
    } finally {
      this.set({ pending: this.status.pending - 1 });
    }
  }
}
