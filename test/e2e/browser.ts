import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { createApp } from '../../server/app.js';
import { repoRoot } from '../../server/config.js';
import type { Database } from '../../server/db/neo4j.js';
import { coreVocabulary } from '../../server/schema/vocabulary.js';
import { testConfig } from '../support/neo4j.js';

// Shared by the browser end-to-end tests: the real app on a free port and Debian's Chromium.

export const shotsDir = join(repoRoot, 'test-results', 'e2e');

/** Builds web/dist once if it is missing (npm test builds it before vitest). */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(join(repoRoot, 'web', 'dist', 'index.html'))) return;
  await build({ configFile: join(repoRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

/** Serves the real app (GraphQL, health, explorer) on 127.0.0.1 and a free port. */
export async function serveApp(db: Database): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const app = createApp({ db, config: testConfig(), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Headless Chromium from the system (never downloaded). */
export function launchChromium(): Promise<Browser> {
  mkdirSync(shotsDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Root query fields the server offers (introspection), to skip tests of fields not yet landed. */
export async function rootFields(url: string): Promise<Set<string>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __schema { queryType { fields { name } } } }' }),
  });
  const body = (await res.json()) as { data: { __schema: { queryType: { fields: { name: string }[] } } } };
  return new Set(body.data.__schema.queryType.fields.map((f) => f.name));
}
