import { contractCapabilities, loadCapabilities, type Capabilities } from './capabilities.js';
import type { GraphQLClient } from './client.js';
import { statsQuery } from './queries.js';

/** The `stats` answer the explorer shows (graph size, counts per type). */
export interface GraphStats {
  nodeCount: number;
  relationshipCount: number;
  byType: { name: string; count: number }[];
}

/** What the explorer knows about its server: capabilities (introspected, or the contract's) and graph stats. */
export class ServerInfo {
  caps: Capabilities | null = null;
  stats: GraphStats | null = null;
  /** The server refused introspection: `caps` are the contract's. */
  private fromContract = false;

  /** `onStats` runs after each stats load, answered or not (the empty state shows them). */
  constructor(private readonly client: Pick<GraphQLClient, 'request'>, private readonly onStats: () => void = () => {}) {}

  /** True when `caps` were introspected (not the contract's stand-in): a field missing from them is missing from the server. */
  get introspected(): boolean { return this.caps !== null && !this.fromContract; }

  /** Loads both; a part that fails (API down) stays null for `loadMissing` to retry. */
  async load(): Promise<void> {
    await Promise.all([this.loadCapabilities(), this.loadStats()]);
  }

  /** Retries whatever failed before (after an outage). */
  async loadMissing(): Promise<void> {
    if (!this.caps) await this.loadCapabilities();
    if (!this.stats) await this.loadStats();
  }

  private async loadCapabilities(): Promise<void> {
    const got = await loadCapabilities(this.client);
    this.caps = got?.caps ?? null;
    this.fromContract = got?.fromContract ?? false;
    this.typesFromStats();
  }

  private async loadStats(): Promise<void> {
    try {
      this.stats = (await this.client.request<{ stats: GraphStats }>(statsQuery)).stats;
    } catch {
      this.stats = null;
    }
    this.typesFromStats();
    this.onStats();
  }

  /** Without introspection, the graph's own types (a schema file may add Brand, Channel…) come from stats. */
  private typesFromStats(): void {
    if (this.fromContract && this.stats?.byType.length) this.caps = contractCapabilities(this.stats.byType.map((b) => b.name));
  }
}
