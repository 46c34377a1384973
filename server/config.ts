import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Repository root, whatever the working directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Local state: the bundled Neo4j's data, its password, the pseudonym secret. Git-ignored.
 * KG_DATA_DIR moves it (tests use a temporary one so they never touch the user's).
 */
export const dataDir = process.env.KG_DATA_DIR ? resolve(process.env.KG_DATA_DIR) : join(repoRoot, '.data');

const booleanEnv = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const neo4jUriPattern = /^(bolt|neo4j)(\+s|\+ssc)?:\/\/[^\s/]+(:\d+)?\/?$/;

const envSchema = z.object({
  NEO4J_URI: z
    .string()
    .regex(neo4jUriPattern, 'must be a bolt://, neo4j://, bolt+s:// or neo4j+s:// URI like bolt://host:7687')
    .optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().min(1).optional(),
  NEO4J_DATABASE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9.-]{0,62}$/, 'must be a Neo4j database name')
    .default('neo4j'),
  NEO4J_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  // Empty means unset: docker-compose.yml passes ${API_KEYS_FILE:-}, and '' failed the config
  // so the documented `docker compose up` did not start (issue 17, finding 11).
  API_KEYS_FILE: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional()),
  PSEUDONYM_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  K_ANONYMITY: z.coerce.number().int().min(1).max(1000).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  LOCAL_ANONYMOUS_ROLE: z.enum(['reader', 'service']).default('service'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).optional(),
  ALLOWED_HOSTS: z.string().optional(),
  MAX_BODY_BYTES: z.coerce.number().int().min(1_000).max(1_000_000_000).optional(),
  GRAPHQL_INTROSPECTION: booleanEnv.optional(),
  GRAPHIQL: booleanEnv.optional(),
  CORS_ORIGINS: z.string().optional(),
  TRUST_PROXY: booleanEnv.default(false),
  // The periodic full refresh of derived values (segments and other global structures); 0 turns it off.
  REFRESH_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(31_536_000).default(3600),
  // Writes of at most this many valid rows update derived values incrementally; larger ones refresh them in full.
  INCREMENTAL_REFRESH_MAX_ROWS: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
});

/** The API's own settings; `apiSettings(config)` fills in defaults for what is not set. */
export interface ApiSettings {
  /** Role of anonymous callers under the local default (loopback host, no keys file). */
  localAnonymousRole: 'reader' | 'service';
  /** Whole-request time limit; past it the request answers TIMEOUT. */
  requestTimeoutMs: number;
  /** Requests per minute per API key or client address; 0 turns rate limiting off. */
  rateLimitPerMinute: number;
  /**
   * Requests per minute of anonymous callers (local default), per client address; 0: off.
   * Higher than a key's by default: the explorer of one person fires a burst per click.
   */
  anonymousRateLimitPerMinute: number;
  /**
   * Host names (besides loopback names) the server answers to when bound to loopback; null
   * when bound elsewhere (no Host check). Blocks DNS rebinding of the local default.
   */
  allowedHosts: string[] | null;
  /** Largest request body accepted (by Content-Length); larger ones answer 413. */
  maxBodyBytes: number;
  introspection: boolean;
  graphiql: boolean;
  /** Allowed CORS origins; empty (the default): same origin only; ['*']: any origin (never with credentials). */
  corsOrigins: string[];
  /** Take the client address from X-Forwarded-For (behind a reverse proxy you run). */
  trustProxy: boolean;
}

/** Loopback names (same rule as server/auth/keys.ts isLoopbackHost, which imports this module). */
const isLoopbackName = (host: string) => {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
};

/** The API settings of `config`, with the defaults of its mode for anything unset. */
export function apiSettings(config: AppConfig): ApiSettings {
  const given = config.api ?? {};
  return {
    localAnonymousRole: given.localAnonymousRole ?? 'service',
    requestTimeoutMs: given.requestTimeoutMs ?? 20_000,
    rateLimitPerMinute: given.rateLimitPerMinute ?? 600,
    anonymousRateLimitPerMinute: given.anonymousRateLimitPerMinute ?? 3_000,
    // 10 000 ingestTriples rows of ~300 bytes fit; a 50 MB body was answered 200.
    maxBodyBytes: given.maxBodyBytes ?? 4_000_000,
    allowedHosts: given.allowedHosts !== undefined ? given.allowedHosts : isLoopbackName(config.host) ? [] : null,
    introspection: given.introspection ?? !config.production,
    graphiql: given.graphiql ?? !config.production,
    // Same origin by default in every mode: the explorer is served by this server, and a
    // reflected '*' let any web page read a local instance (issue 17, finding 6).
    corsOrigins: given.corsOrigins ?? [],
    trustProxy: given.trustProxy ?? false,
  };
}

export interface Neo4jConfig {
  /** Unset: the bundled local Neo4j is used (started when needed). */
  uri?: string;
  user: string;
  password?: string;
  database: string;
  queryTimeoutMs: number;
}

export interface AppConfig {
  neo4j: Neo4jConfig;
  port: number;
  host: string;
  apiKeysFile?: string;
  pseudonymSecret: string;
  kAnonymity: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  production: boolean;
  /** API settings (auth, limits, production switches); unset parts take their defaults. */
  api?: Partial<ApiSettings>;
  /** Derived-value freshness: the full refresh's period (0: none) and the incremental path's largest write. */
  refresh?: { intervalSeconds: number; incrementalMaxRows: number };
}

/** Thrown for configuration a user must fix; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment. The pseudonym secret is generated once and kept in
 * `.data/` when not given, so consumer pseudonyms stay stable across runs.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    neo4j: {
      uri: e.NEO4J_URI,
      user: e.NEO4J_USER,
      password: e.NEO4J_PASSWORD,
      database: e.NEO4J_DATABASE,
      queryTimeoutMs: e.NEO4J_QUERY_TIMEOUT_MS,
    },
    port: e.PORT,
    host: e.HOST,
    apiKeysFile: e.API_KEYS_FILE,
    pseudonymSecret: e.PSEUDONYM_SECRET ?? readOrCreateSecret(join(dataDir, 'pseudonym-secret')),
    kAnonymity: e.K_ANONYMITY,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    api: {
      localAnonymousRole: e.LOCAL_ANONYMOUS_ROLE,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      anonymousRateLimitPerMinute: e.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      maxBodyBytes: e.MAX_BODY_BYTES,
      allowedHosts: e.ALLOWED_HOSTS?.split(',').map((h) => h.trim()).filter(Boolean),
      introspection: e.GRAPHQL_INTROSPECTION,
      graphiql: e.GRAPHIQL,
      corsOrigins: e.CORS_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean),
      trustProxy: e.TRUST_PROXY,
    },
    refresh: { intervalSeconds: e.REFRESH_INTERVAL_SECONDS, incrementalMaxRows: e.INCREMENTAL_REFRESH_MAX_ROWS },
  };
}

/** Returns the secret stored in `file`, creating it (mode 600) with 32 random bytes if absent. */
export function readOrCreateSecret(file: string): string {
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    if (value.length >= 16) return value;
  }
  mkdirSync(dirname(file), { recursive: true });
  const value = randomBytes(32).toString('base64url');
  writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}
