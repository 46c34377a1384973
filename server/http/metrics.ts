import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/neo4j.js';

/** The app's Prometheus metrics, in a registry of its own (several apps may share a process in tests). */
export interface Metrics {
  registry: Registry;
  requests: Counter<'operation' | 'status'>;
  requestSeconds: Histogram<'operation'>;
  errors: Counter<'code'>;
  neo4jSeconds: Histogram<'operation' | 'mode' | 'outcome'>;
  /** Stops observing the database. */
  close(): void;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Creates the metrics: GraphQL requests and latency by operation (its root fields, a bounded
 * set, never the client's free-text operation name), errors by contract code, and Neo4j query
 * time by query name through the Database observer.
 */
export function createMetrics(db: Database, { processMetrics = false } = {}): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation (root fields) and HTTP status',
    labelNames: ['operation', 'status'] as const,
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation (root fields)',
    labelNames: ['operation'] as const,
    buckets: latencyBuckets,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors by extensions.code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const neo4jSeconds = new Histogram({
    name: 'neo4j_query_duration_seconds',
    help: 'Neo4j query time by query name, access mode and outcome',
    labelNames: ['operation', 'mode', 'outcome'] as const,
    buckets: latencyBuckets,
    registers: [registry],
  });
  const stop = db.observe((e) => neo4jSeconds.observe({ operation: e.operation, mode: e.mode, outcome: e.ok ? 'ok' : 'error' }, e.ms / 1000));
  return { registry, requests, requestSeconds, errors, neo4jSeconds, close: stop };
}
