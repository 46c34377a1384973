import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../server/app.js';
import { repoRoot, type AppConfig } from '../../server/config.js';
import type { Database } from '../../server/db/neo4j.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testConfig, testDatabase } from '../support/neo4j.js';

// Shared by the browser end-to-end tests: the real app on a free port and Debian's Chromium.

export const shotsDir = join(repoRoot, 'test-results', 'e2e');

/** Builds web/dist once if it is missing (npm test builds it before vitest). */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(join(repoRoot, 'web', 'dist', 'index.html'))) return;
  await build({ configFile: join(repoRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

/**
 * Serves the real app (GraphQL, health, explorer) on 127.0.0.1 and a free port; `overrides` change
 * the test config (e.g. `production: true`), their `api` part merged into the test's API settings.
 */
export async function serveApp(db: Database, overrides: Partial<AppConfig> = {}): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const base = testConfig();
  const config = testConfig({ ...overrides, api: { ...base.api, ...overrides.api } });
  const app = createApp({ db, config, logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
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

export interface ExplorerBrowserOptions {
  /**
   * The database the app serves: the run's test Neo4j by default; a file with a Neo4j of its
   * own returns it with `stop` (called after the database is closed).
   */
  database?: () => Promise<{ db: Database; stop?: () => Promise<void> }>;
  /** Writes the file's own data before the app starts. */
  seed?: (db: Database) => Promise<void>;
  /** Removes it again (before the database closes). */
  unseed?: () => Promise<void>;
  /** App config overrides (e.g. `production: true`). */
  config?: Partial<AppConfig>;
  /** Timeout of the set-up hook (a demo load takes minutes). */
  setupTimeoutMs?: number;
}

/** What a browser test file shares: set in its beforeAll, read in its tests. */
export interface ExplorerBrowser {
  readonly db: Database;
  readonly browser: Browser;
  /** The served app, e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly url: string;
  /** Opens the explorer at `path` (a page of its own, ready). */
  open(path?: string, width?: number, height?: number): Promise<Page>;
}

/**
 * The set-up every browser test file needs, registered as its beforeAll/afterAll: web/dist
 * built, the database (and the file's seed), the real app on a free port and Debian's Chromium;
 * closed in reverse order.
 */
export function useExplorerBrowser(o: ExplorerBrowserOptions = {}): ExplorerBrowser {
  let db: Database | undefined, stop: (() => Promise<void>) | undefined, seeded = false;
  let app: Awaited<ReturnType<typeof serveApp>> | undefined;
  let browser: Browser | undefined;
  const need = <T>(x: T | undefined, what: string): T => { if (x === undefined) throw new Error(`useExplorerBrowser: ${what} is not set up yet (read it inside a test or hook)`); return x; };
  beforeAll(async () => {
    await ensureWebBuilt();
    ({ db, stop } = o.database ? await o.database() : { db: testDatabase() });
    if (o.seed) { await o.seed(db); seeded = true; }
    app = await serveApp(db, o.config);
    browser = await launchChromium();
  }, o.setupTimeoutMs ?? 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (seeded) await o.unseed?.();
    await db?.close();
    await stop?.();
  }, 120_000);
  return {
    get db() { return need(db, 'db'); },
    get browser() { return need(browser, 'browser'); },
    get url() { return need(app, 'app').url; },
    open: (path = '/', width = 1440, height = 900) => openExplorer(need(browser, 'browser'), need(app, 'app').url + path, width, height),
  };
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

/** Opens the explorer at `url` in a new page and waits until it is ready; page errors are logged. */
export async function openExplorer(browser: Browser, url: string, width = 1440, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { explorer?: unknown }).explorer !== undefined);
  await page.evaluate(() => (window as unknown as { explorer: { ready: Promise<void> } }).explorer.ready);
  return page;
}

/** CSS selector of a `data-testid`. */
export const testId = (id: string) => `[data-testid="${id}"]`;

/** Saves a screenshot of the page under test-results/e2e. */
export const shot = (page: Page, name: string) => page.screenshot({ path: join(shotsDir, `${name}.png`) });

interface CyLike {
  animated(): boolean;
  zoom(): number;
  pan(): unknown;
  nodes(): { some(f: (n: unknown) => boolean): boolean; map(f: (n: { position(): unknown }) => unknown): unknown[] };
  getElementById(id: string): { nonempty(): boolean };
}

/** Waits until layouts and camera moves are over (two equal looks 250 ms apart), so screen positions hold. */
export async function settled(page: Page): Promise<void> {
  const view = () => page.evaluate(() => {
    const cy = (window as unknown as { cy: CyLike }).cy;
    const busy = cy.animated() || cy.nodes().some((n) => (n as { animated(): boolean }).animated());
    return busy ? 'busy' : JSON.stringify([cy.zoom(), cy.pan(), cy.nodes().map((n) => n.position())]);
  });
  for (let i = 0; i < 80; i++) {
    const a = await view();
    await page.waitForTimeout(250);
    if (a !== 'busy' && a === (await view())) return;
  }
}

/** Types into the search box and clicks the result with that key, as a user would. */
export async function searchAndAdd(page: Page, text: string, key: string, timeoutMs: number): Promise<void> {
  await page.fill(testId('search-input'), '');
  await page.type(testId('search-input'), text, { delay: 20 });
  await page.waitForSelector(`${testId('search-results')} [data-key="${key}"]`, { timeout: timeoutMs });
  await page.click(`${testId('search-results')} [data-key="${key}"]`);
  await page.waitForFunction((k) => (window as unknown as { cy: CyLike }).cy.getElementById(k).nonempty(), key);
}
