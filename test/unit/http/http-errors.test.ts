import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { coreVocabulary } from '../../../server/graph/vocabulary.js';
import { appConfig } from '../../support/app-config.js';
import { deadDatabase } from '../../support/dead-database.js';
import { tinySchema } from '../../support/tiny-schema.js';

// Issue 17, findings 9 and 11: a 50 MB body was answered 200, GET /%E0%A4%A answered 500 with
// a stack trace and absolute paths, 415 and 405 answers had empty bodies and no code.
const db = deadDatabase();
const webRoot = mkdtempSync(join(tmpdir(), 'kg-web-'));
writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>explorer</title>');
const app = createApp({ db, config: appConfig({ api: { maxBodyBytes: 10_000, requestTimeoutMs: 60_000 } }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary, schema: tinySchema(), webRoot });
afterAll(async () => {
  app.metrics.close();
  await db.close();
});

const codeOf = async (res: Response) => ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code;

describe('non-GraphQL failures answer JSON with a code', () => {
  it('refuses a body over the limit with 413 before reading it', async () => {
    const body = JSON.stringify({ query: '{ stats { nodeCount } }', variables: { pad: 'x'.repeat(20_000) } });
    const res = await app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, body });
    expect(res.status).toBe(413);
    expect(await codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('refuses a chunked body (no Content-Length) once it passes the limit, through a real socket', async () => {
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const send = (chunks: string[]) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (part: string) => (body += part));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        // The server may answer and close before every chunk is written.
        req.on('error', reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });
    try {
      const big = await send(['{"query":"{ stats { nodeCount } }","variables":{"pad":"', ...Array.from({ length: 30 }, () => 'x'.repeat(1_000)), '"}}']);
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(JSON.parse(big.body).errors[0].message).toMatch(/chunked/);
      // Under the limit the same streamed body still reaches GraphQL whole (the dead database answers a coded error, not a parse error).
      const small = await send(['{"query":"{ stats ', '{ nodeCount } }"}']);
      expect(small.status).toBe(200);
      expect(JSON.parse(small.body).errors?.[0]?.extensions?.code).not.toBe('BAD_USER_INPUT');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('answers a malformed path escape with 400 JSON, no stack trace', async () => {
    const res = await app.fetch('http://localhost/%E0%A4%A');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(/at |\/work\/|node_modules/);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('gives 415 a body with a code', async () => {
    const res = await app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ stats { nodeCount } }' });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(await codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('still serves the explorer and answers GraphQL', async () => {
    expect((await app.fetch('http://localhost/')).status).toBe(200);
    const res = await app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ stats { nodeCount } }' }) });
    expect(res.status).toBe(200);
  });
});
