import { hostname } from 'node:os';
import type { Database } from '../db/neo4j.js';
import { ACQUIRE_INGEST_LOCK, HEARTBEAT_INGEST_LOCK, KGMETA_KEY_CONSTRAINT, RELEASE_INGEST_LOCK } from './queries.js';

// Defaults: a heartbeat every 5 s; an owner silent for 30 s is dead (a load's transactions
// never block its heartbeat: it runs on a connection of its own).
const defaults = {
  key: 'lock:ingest',
  heartbeatMs: 5_000,
  staleMs: 30_000,
  /** How long `acquire` waits for a live owner before it refuses (a load queues behind another). */
  waitMs: 600_000,
  pollMs: 1_000,
};
export type LockOptions = Partial<typeof defaults> & { log?: (line: string) => void };

/** Another live load holds the lock and did not release it within the wait. */
export class IngestLockedError extends Error {
  override name = 'IngestLockedError';
}

/** The owner string: host, process and load, so a dead owner on this host can be recognised. */
export function lockOwner(loadId: string, host = hostname(), pid = process.pid): string {
  return `${host}:${pid}:${loadId}`;
}

/** True when `owner` is a process of this host that no longer runs (so its lock can be taken at once). */
export function ownerIsDead(owner: string, host = hostname()): boolean {
  const [ownerHost, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (ownerHost !== host || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The lock that makes loads exclusive (issue 17, finding 1: two overlapping loads each dropped
 * the other's writes as stale). A node `KgMeta {key: 'lock:ingest'}` in Neo4j with an owner and a
 * heartbeat, so it works across processes and hosts; a dead owner is taken over when its
 * heartbeat is stale, or at once when it was a process of this host that no longer exists.
 */
export class IngestLock {
  private timer?: NodeJS.Timeout;
  private lost = false;
  private readonly o: typeof defaults;

  constructor(
    private readonly db: Database,
    readonly owner: string,
    private readonly options: LockOptions = {},
  ) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.o = { ...defaults, ...given } as typeof defaults;
  }

  /** Takes the lock, waiting up to `waitMs` for a live owner; throws IngestLockedError after. */
  async acquire(): Promise<void> {
    await this.db.autoCommit('ingest-setup', KGMETA_KEY_CONSTRAINT);
    const deadline = Date.now() + this.o.waitMs;
    let said = '';
    for (;;) {
      const [row] = await this.db.write('ingest-lock', ACQUIRE_INGEST_LOCK, { key: this.o.key, owner: this.owner, staleMs: this.o.staleMs, takeover: null });
      if (row?.free) break;
      const current = String(row?.current);
      if (ownerIsDead(current)) {
        const [again] = await this.db.write('ingest-lock', ACQUIRE_INGEST_LOCK, { key: this.o.key, owner: this.owner, staleMs: this.o.staleMs, takeover: current });
        if (again?.free) {
          this.options.log?.(`took over the ingest lock of ${current}, a process that no longer runs`);
          break;
        }
      }
      const age = Math.round(Number(row?.ageMs ?? 0) / 1000);
      const message = `another load (${current}, heartbeat ${age} s ago) is writing to this database`;
      if (Date.now() >= deadline) {
        throw new IngestLockedError(`${message}; loads are exclusive, so this one did not start. Wait for it to finish (a dead one is taken over ${this.o.staleMs / 1000} s after its last heartbeat) and run again.`);
      }
      if (message !== said) this.options.log?.(`waiting: ${message}`);
      said = message;
      await new Promise((r) => setTimeout(r, this.o.pollMs));
    }
    this.timer = setInterval(() => void this.beat(), this.o.heartbeatMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      const [row] = await this.db.write('ingest-lock-heartbeat', HEARTBEAT_INGEST_LOCK, { key: this.o.key, owner: this.owner });
      if (this.timer && row?.held !== true) {
        this.lost = true;
        this.options.log?.(`the ingest lock is held by ${String(row?.owner ?? 'nobody')} now, not by this load`);
      }
    } catch {
      // Neo4j away: the load's own retries decide; the next beat tries again.
    }
  }

  /** Throws when another load took the lock over (this one was presumed dead). */
  check(): void {
    if (this.lost) throw new IngestLockedError('this load lost the ingest lock to another load (its heartbeat was presumed dead); run it again');
  }

  /** Releases the lock (if still ours) and stops the heartbeat. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.db.write('ingest-lock-release', RELEASE_INGEST_LOCK, { key: this.o.key, owner: this.owner }).catch(() => undefined);
  }
}
