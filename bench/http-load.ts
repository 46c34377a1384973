import autocannon from 'autocannon';
import { summarize, type LatencySummary } from './percentiles.js';

export interface LoadResult extends LatencySummary {
  concurrency: number;
  rps: number;
  errors: number;
  /** Responses with a non-2xx status or a GraphQL `errors` entry (part of `errors`). */
  badResponses: number;
  seconds: number;
}

export interface GraphQLLoadOptions {
  /** Must be a loopback URL: benchmarks never target other hosts. */
  url: string;
  concurrency: number;
  /** Stops after this many seconds or `maxRequests`, whichever comes first. */
  seconds: number;
  maxRequests?: number;
  /** Request bodies, used round-robin (e.g. one per consumer). */
  bodies: string[];
  headers?: Record<string, string>;
  /** Caps the total request rate (req/s over all connections): steady load for soak runs. */
  rate?: number;
}

/**
 * Closed-loop GraphQL load with autocannon: `concurrency` connections, each sending the next
 * body as soon as its previous answer arrives. Latencies come from every response (autocannon
 * itself reports no p95); errors count socket errors, timeouts, non-2xx and GraphQL `errors` bodies.
 */
export async function graphqlLoad(o: GraphQLLoadOptions): Promise<LoadResult> {
  const host = new URL(o.url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`benchmarks target loopback only, not ${host}`);
  if (o.bodies.length === 0) throw new Error('no request bodies');
  const latencies: number[] = [];
  let badResponses = 0;
  let next = 0;
  const started = Date.now();
  // autocannon lets `amount` override `duration`, so the request cap is ours: stop at whichever
  // of time and count comes first.
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: o.url,
        method: 'POST',
        connections: o.concurrency,
        duration: o.seconds,
        overallRate: o.rate,
        headers: { 'content-type': 'application/json', ...o.headers },
        requests: [
          {
            setupRequest: (req) => ({ ...req, body: o.bodies[next++ % o.bodies.length]! }),
            onResponse: (status, body) => {
              if (status >= 300 || body.includes('"errors"')) badResponses++;
            },
          },
        ],
        setupClient: (client) => {
          client.on('response', (_status: number, _bytes: number, responseTime: number) => {
            latencies.push(responseTime);
            if (o.maxRequests !== undefined && latencies.length >= o.maxRequests) instance.stop();
          });
        },
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
  });
  const seconds = (Date.now() - started) / 1000;
  return {
    concurrency: o.concurrency,
    ...summarize(latencies),
    rps: Math.round((latencies.length / seconds) * 10) / 10,
    errors: result.errors + result.timeouts + badResponses,
    badResponses,
    seconds: Math.round(seconds * 10) / 10,
  };
}
