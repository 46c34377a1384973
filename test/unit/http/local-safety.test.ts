import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../server/app.js';
import { clientAddress } from '../../../server/auth/use-auth.js';
import { apiSettings, type AppConfig } from '../../../server/config.js';
import { coreVocabulary } from '../../../server/graph/vocabulary.js';
import { appConfig } from '../../support/app-config.js';
import { deadDatabase } from '../../support/dead-database.js';
import { codes, gql } from '../../support/graphql.js';
import { tinySchema } from '../../support/tiny-schema.js';

// Issue 17, findings 6 and 11: any web page could read a local instance (anonymous loopback
// callers got service and CORS reflected every Origin with credentials), behind a reverse
// proxy every client became anonymous service, TRUST_PROXY trusted the leftmost
// X-Forwarded-For (a client picked its own rate-limit bucket), anonymous callers were unlimited.
const db = deadDatabase();
const apps: App[] = [];
const appWith = (overrides: Partial<AppConfig> = {}, { product = false } = {}) => {
  const app = createApp({ db, config: appConfig(overrides), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary, ...(product ? {} : { schema: tinySchema() }) });
  apps.push(app);
  return app;
};
afterAll(async () => {
  for (const app of apps) app.metrics.close();
  await db.close();
});
const STATS = '{ stats { nodeCount } }';

describe('finding 6: a foreign web page can neither read nor drive a local instance', () => {
  const local = appWith();

  it('defaults to same-origin CORS in every mode', () => {
    expect(apiSettings(appConfig()).corsOrigins).toEqual([]);
    expect(apiSettings(appConfig({ production: true })).corsOrigins).toEqual([]);
  });

  it('refuses a request from a foreign Origin and sends it no CORS grant', async () => {
    const res = await gql(local, STATS, {}, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(codes(res.body)).toEqual(['FORBIDDEN']);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await local.fetch('http://localhost/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // A form post or text/plain beacon from a page is refused as well.
    const simple = await local.fetch('http://localhost/graphql', { method: 'POST', headers: { origin: 'null', 'content-type': 'text/plain' }, body: STATS });
    expect(simple.status).toBe(403);
  });

  it('answers its own origin (the explorer) and callers without an Origin', async () => {
    expect((await gql(local, STATS, {}, { origin: 'http://localhost' })).status).toBe(200);
    expect((await gql(local, STATS)).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding) and answers loopback names', async () => {
    const rebound = await gql(local, STATS, {}, { host: 'evil.example:4000' });
    expect(rebound.status).toBe(403);
    expect(codes(rebound.body)).toEqual(['FORBIDDEN']);
    const page = await local.fetch('http://evil.example:4000/', { headers: { host: 'evil.example:4000' } });
    expect(page.status).toBe(403);
    for (const host of ['localhost:4000', '127.0.0.1:4000', '[::1]:4000']) expect((await gql(local, STATS, {}, { host })).status, host).toBe(200);
    const named = appWith({ api: { allowedHosts: ['kg.internal'] } });
    expect((await gql(named, STATS, {}, { host: 'kg.internal' })).status).toBe(200);
  });

  it('allows a listed origin, without credentials', async () => {
    const listed = appWith({ api: { corsOrigins: ['https://dash.example.com'] } });
    const res = await gql(listed, STATS, {}, { origin: 'https://dash.example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://dash.example.com');
    expect(res.headers.get('access-control-allow-credentials')).not.toBe('true');
  });
});

describe('finding 6: behind a reverse proxy nobody is anonymous service', () => {
  it('a relayed anonymous request is a reader: per-consumer fields are FORBIDDEN', async () => {
    const app = appWith({}, { product: true });
    const call = (headers: Record<string, string>) => gql(app, '{ recommendProducts(consumerId: "u1") { score } }', {}, headers);
    const relayed: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }, { via: '1.1 proxy' }];
    for (const headers of relayed) {
      expect(codes((await call(headers)).body), JSON.stringify(headers)).toEqual(['FORBIDDEN']);
    }
    const proxied = appWith({ api: { trustProxy: true } }, { product: true });
    expect(codes((await gql(proxied, '{ lookalikes(consumerId: "u1") { score } }')).body)).toEqual(['FORBIDDEN']);
  });
});

describe('findings 6 and 11: rate limits for anonymous callers, TRUST_PROXY takes the rightmost hop', () => {
  it('takes the rightmost X-Forwarded-For entry, and only with TRUST_PROXY', () => {
    const h = new Headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7' });
    expect(clientAddress(h, '127.0.0.1', true)).toBe('198.51.100.7');
    expect(clientAddress(h, '127.0.0.1', false)).toBe('127.0.0.1');
    expect(clientAddress(new Headers(), '127.0.0.1', true)).toBe('127.0.0.1');
  });

  it('rate-limits anonymous callers per address; a spoofed leftmost hop does not give a new bucket', async () => {
    const app = appWith({ api: { anonymousRateLimitPerMinute: 2, trustProxy: true } });
    const call = (xff: string) => gql(app, STATS, {}, { 'x-forwarded-for': xff });
    expect((await call('1.1.1.1, 198.51.100.7')).status).toBe(200);
    expect((await call('2.2.2.2, 198.51.100.7')).status).toBe(200);
    const over = await call('3.3.3.3, 198.51.100.7');
    expect(over.status).toBe(429);
    expect(codes(over.body)).toEqual(['RATE_LIMITED']);
    expect((await call('198.51.100.8')).status).toBe(200);
  });
});
