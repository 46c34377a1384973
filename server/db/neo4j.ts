import neo4j, { type Driver, type ManagedTransaction, type QueryResult, type Session } from 'neo4j-driver';
import type { Neo4jConfig } from '../config.js';
import { DatabaseUnavailableError, toDatabaseError } from './errors.js';
import { toPlain } from './values.js';

export type Params = Record<string, unknown>;
export type Row = Record<string, unknown>;

/** The application name Neo4j shows in `SHOW TRANSACTIONS` and query logs. */
const appName = 'kg-insight-explorer';

/** Creates the process's one driver. Integers arrive as JS numbers (counts fit in 2^53). */
export function createDriver(config: Neo4jConfig & { uri: string; password: string }): Driver {
  return neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password), {
    disableLosslessIntegers: true,
    userAgent: `${appName}/0.1`,
    maxConnectionPoolSize: 100,
    connectionAcquisitionTimeout: 10_000,
    connectionTimeout: 5_000,
    // Short retries: a down database must answer DATABASE_UNAVAILABLE fast, not hang.
    maxTransactionRetryTime: 3_000,
    // After a Neo4j restart the pool holds dead connections; each one used would cost a failed
    // attempt and a retry back-off. Testing those idle for over a second finds them first, so
    // the API recovers at once; under load connections are reused sooner and are not tested.
    connectionLivenessCheckTimeout: 1_000,
  });
}

/** One finished trip to Neo4j, for metrics (server/http/metrics.ts). */
export interface QueryEvent {
  operation: string;
  mode: 'READ' | 'WRITE';
  ms: number;
  ok: boolean;
}
export type QueryObserver = (event: QueryEvent) => void;

export interface QueryOptions {
  /** Overrides the default transaction timeout (ms). */
  timeoutMs?: number;
  /** Told (with the error that caused it, if seen) each time the driver retries a managed write transaction. */
  onRetry?: (cause: unknown) => void;
  /**
   * false: one attempt, no driver retry, so a transient error reaches the caller with its code
   * (the driver's retry hides errors raised at commit, e.g. a deadlock on relationship-chain locks).
   */
  retry?: boolean;
  /**
   * With `retry: false`: awaited after the statements and before COMMIT; the function it
   * resolves to is called once the commit ends (the loader serialises its lanes' commits).
   */
  beforeCommit?: () => Promise<() => void>;
}

/**
 * The one choke point for trips to Neo4j: explicit database, managed transactions routed as
 * reads or writes, a timeout and metadata on every transaction, plain values out and typed
 * errors (DatabaseUnavailableError, QueryTimeoutError, DatabaseError) on failure.
 */
export class Database {
  constructor(
    readonly driver: Driver,
    readonly database: string,
    readonly defaultTimeoutMs: number,
    private readonly observers = new Set<QueryObserver>(),
  ) {}

  /**
   * The same driver and observers with another default timeout, for work no caller waits on
   * (the background refresh): its scans outlast the timeout meant for API requests under load.
   */
  withDefaultTimeout(timeoutMs: number): Database {
    return timeoutMs === this.defaultTimeoutMs ? this : new Database(this.driver, this.database, timeoutMs, this.observers);
  }

  /** Calls `observer` after every query; returns a function that stops it. */
  observe(observer: QueryObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Runs a read query (sent to a reader in a cluster) and returns plain rows. */
  read(operation: string, cypher: string, params: Params = {}, options: QueryOptions = {}): Promise<Row[]> {
    return this.withSession('READ', operation, (session) =>
      session.executeRead((tx) => runRows(tx, cypher, params), this.txConfig(operation, options)),
    );
  }

  /**
   * Runs one read query as an auto-commit transaction in a read session (routed to a reader
   * in a cluster): one RUN/PULL round trip instead of BEGIN/RUN/PULL/COMMIT, for a hot read
   * that needs no retry (a failure reaches the caller as a typed error at once).
   */
  readOnce(operation: string, cypher: string, params: Params = {}, options: QueryOptions = {}): Promise<Row[]> {
    return this.withSession('READ', operation, async (session) => rowsOf(await withoutCallerStack(() => session.run(cypher, params, this.txConfig(operation, options)))));
  }

  /** Runs a write query in a managed transaction (retried on transient errors). */
  write(operation: string, cypher: string, params: Params = {}, options: QueryOptions = {}): Promise<Row[]> {
    return this.writeAll(operation, [{ cypher, params }], options).then((results) => results[0]!);
  }

  /** Runs several write statements in one transaction, all or nothing. */
  writeAll(operation: string, statements: { cypher: string; params?: Params }[], options: QueryOptions = {}): Promise<Row[][]> {
    if (options.retry === false) {
      return this.withSession('WRITE', operation, async (session) => {
        const tx = session.beginTransaction(this.txConfig(operation, options));
        try {
          const results: Row[][] = [];
          for (const s of statements) results.push(await runRows(tx, s.cypher, s.params ?? {}));
          const release = await options.beforeCommit?.();
          try {
            await tx.commit();
          } finally {
            release?.();
          }
          return results;
        } finally {
          if (tx.isOpen()) await tx.rollback().catch(() => undefined);
        }
      });
    }
    let attempts = 0;
    let cause: unknown;
    return this.withSession('WRITE', operation, (session) =>
      session.executeWrite(async (tx) => {
        if (attempts++ > 0) options.onRetry?.(cause);
        const results: Row[][] = [];
        try {
          for (const s of statements) results.push(await runRows(tx, s.cypher, s.params ?? {}));
        } catch (error) {
          cause = error;
          throw error;
        }
        return results;
      }, this.txConfig(operation, options)),
    );
  }

  /**
   * Auto-commit query, needed for schema commands and `CALL { } IN TRANSACTIONS`, which
   * cannot run inside managed transactions.
   */
  autoCommit(operation: string, cypher: string, params: Params = {}, options: QueryOptions = {}): Promise<Row[]> {
    return this.runAutoCommit('WRITE', operation, cypher, params, options);
  }

  /** One query as its own transaction in a session of `mode` (no BEGIN/COMMIT round trips, no retry). */
  private runAutoCommit(mode: 'READ' | 'WRITE', operation: string, cypher: string, params: Params, options: QueryOptions): Promise<Row[]> {
    return this.withSession(mode, operation, async (session) => rowsOf(await session.run(cypher, params, this.txConfig(operation, options))));
  }

  /** Resolves when the database answers a trivial query; throws DatabaseUnavailableError otherwise. */
  async ping(): Promise<void> {
    await this.read('ping', 'RETURN 1 AS ok', {}, { timeoutMs: 2_000 });
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  private txConfig(operation: string, options: QueryOptions) {
    return {
      timeout: options.timeoutMs ?? this.defaultTimeoutMs,
      metadata: { app: appName, operation },
    };
  }

  private async withSession<T>(mode: 'READ' | 'WRITE', operation: string, work: (s: Session) => Promise<T>): Promise<T> {
    let session: Session;
    try {
      session = this.driver.session({
        database: this.database,
        defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      });
    } catch (error) {
      throw new DatabaseUnavailableError(`cannot open a Neo4j session: ${(error as Error).message}`);
    }
    const started = performance.now();
    let ok = false;
    try {
      const result = await work(session);
      ok = true;
      return result;
    } catch (error) {
      throw toDatabaseError(error, operation);
    } finally {
      await session.close().catch(() => undefined);
      if (this.observers.size) {
        const event = { operation, mode, ms: performance.now() - started, ok };
        for (const observer of this.observers) {
          try {
            observer(event);
          } catch {
            // Metrics must never fail a query.
          }
        }
      }
    }
  }
}

/**
 * Calls `run` (which starts a query synchronously) without the stack trace the driver records
 * for every query to point a failed query's error at its caller: formatting it through source
 * maps (tsx) cost ~4 % of a recommendation's CPU. A failure keeps its message and code.
 */
function withoutCallerStack<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Works in a managed and in an explicit transaction alike. */
async function runRows(tx: Pick<ManagedTransaction, 'run'>, cypher: string, params: Params): Promise<Row[]> {
  return rowsOf(await tx.run(cypher, params));
}

function rowsOf(result: QueryResult): Row[] {
  return result.records.map((r) => toPlain(r.toObject()) as Row);
}
