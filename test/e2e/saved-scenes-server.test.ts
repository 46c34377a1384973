import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey, keyIdOf } from '../../server/auth/keys.js';
import { SCENE_LABEL } from '../../server/graph/schema-statements.js';
import { keysForEveryRole } from '../support/role-matrix.js';
import { filterSceneFile } from '../support/scene-filter-file.js';
import { testDatabase } from '../support/neo4j.js';
import { ensureWebBuilt, launchChromium, serveApp, settled, shot, testId } from './browser.js';

// Named scenes kept on the server per API key (issue 15, item 5): without a key the panel says
// the server needs one and saves in the browser; with a key it saves on the server, and another
// browser with the same key lists the scene and reopens it with its positions, filter and colours.
// A real app with a keys file on 127.0.0.1 (so every call needs a key) over the test Neo4j.

type Cy = import('cytoscape').Core;
const db = testDatabase();
const { keysFile, keys } = keysForEveryRole();
let app: Awaited<ReturnType<typeof serveApp>>;
let browser: Browser;
const file = filterSceneFile();
const name = 'Camping buyers 露营';

beforeAll(async () => {
  await ensureWebBuilt();
  app = await serveApp(db, { apiKeysFile: keysFile });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  const owners = Object.values(keys).map((k) => keyIdOf(hashKey(k)));
  await db.write('test-cleanup', `MATCH (s:${SCENE_LABEL}) WHERE s.owner IN $owners DELETE s`, { owners });
  await db.close();
});

/** A fresh browser profile (its own local and session storage), the API key already given when `key` is set. */
async function openFresh(key?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (key) await context.addInitScript((k) => sessionStorage.setItem('kg-explorer.api-key', k), key);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(app.url);
  await ready(page);
  return page;
}

const ready = async (page: Page) => {
  await page.waitForFunction(() => (window as unknown as { explorer?: unknown }).explorer !== undefined);
  await page.evaluate(() => (window as unknown as { explorer: { ready: Promise<void> } }).explorer.ready);
};

/** The key's saved scenes straight from the API. */
async function apiScenes(key: string): Promise<string[]> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ savedScenes { name } }' }),
  });
  const body = (await res.json()) as { data: { savedScenes: { name: string }[] } };
  return body.data.savedScenes.map((s) => s.name);
}

const sceneRow = (where: string, n = name) => `${testId('saved-scenes')} li[data-scene="${n}"][data-where="${where}"]`;
const importFile = (page: Page) => page.evaluate((f) => (window as unknown as { explorer: { importScene(x: unknown): Promise<void> } }).explorer.importScene(f), file);

describe('saved scenes on the server, per API key', () => {
  it('says a key is needed and saves in the browser without one; with a key saves on the server, and another browser reopens the scene', { timeout: 240_000 }, async () => {
    // No key: the server refuses its scenes; the panel says so and keeps scenes in this browser.
    const page = await openFresh();
    // The page asks for a key at once (test/e2e/api-key.test.ts); not now.
    await page.click(`${testId('api-key-prompt')} ${testId('api-key-cancel')}`);
    await importFile(page);
    await settled(page);
    await page.click(testId('filter-toggle'));
    await page.waitForSelector(`${testId('server-scenes-status')}[data-state="needs-key"]`);
    expect(await page.textContent(testId('server-scenes-status'))).toContain('need an API key');
    expect(await page.locator(testId('scene-target')).count()).toBe(0);
    await page.fill(testId('scene-name'), 'Only here');
    await page.click(testId('save-scene'));
    await page.waitForSelector(sceneRow('browser', 'Only here'));
    await shot(page, '30-saved-scenes-needs-key');

    // Give the service key: the page starts again with it, and the server keeps scenes for it.
    // The panel's button opens the page's one key prompt.
    await page.click(testId('use-api-key'));
    await page.fill(testId('api-key-input'), keys.service);
    await Promise.all([page.waitForEvent('load'), page.click(testId('api-key-submit'))]);
    await ready(page);
    await importFile(page);
    await settled(page);
    await page.click(testId('filter-toggle'));
    await page.waitForSelector(`${testId('server-scenes-status')}[data-state="on"]`);
    // The browser's scene is still listed beside the server's (none yet).
    await page.waitForSelector(sceneRow('browser', 'Only here'));
    await page.uncheck(testId('filter-rel-VIEWED'));
    await page.fill(testId('filter-min-weight'), '2');
    await page.press(testId('filter-min-weight'), 'Tab');
    await page.click(testId('style-menu'));
    await page.selectOption(testId('color-select'), 'degree');
    await page.click(testId('style-menu'));
    await page.selectOption(testId('layout-select'), 'concentric');
    await settled(page);
    const shown = (p: Page) => p.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      return { nodes: cy.nodes().length, edges: cy.edges().filter((e) => e.visible()).length, positions: Object.fromEntries(cy.nodes().map((n) => [n.id(), n.position()])) };
    });
    const before = await shown(page);
    const expectedEdges = file.edges.filter((e) => e.relation !== 'VIEWED' && e.weight >= 2).length;
    expect(before.edges).toBe(expectedEdges);
    expect(await page.inputValue(testId('scene-target'))).toBe('server');
    await page.fill(testId('scene-name'), name);
    await page.click(testId('save-scene'));
    await page.waitForSelector(sceneRow('server'));
    expect(await apiScenes(keys.service)).toContain(name);
    // Another key never sees it.
    expect(await apiScenes(keys.reader)).not.toContain(name);
    await page.close();

    // Another browser (nothing in its storage) with the same key: the scene is listed and reopens as saved.
    const other = await openFresh(keys.service);
    expect(await other.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes().length)).toBe(0);
    await other.click(testId('filter-toggle'));
    await other.waitForSelector(sceneRow('server'));
    expect(await other.locator(sceneRow('browser', 'Only here')).count()).toBe(0);
    await other.click(`${sceneRow('server')} ${testId('open-scene')}`);
    await other.waitForFunction((n) => (window as unknown as { cy: Cy }).cy.nodes().length === n, file.nodes.length);
    await settled(other);
    const after = await shown(other);
    expect(after.edges).toBe(expectedEdges);
    for (const [id, p] of Object.entries(before.positions)) {
      expect(Math.abs(after.positions[id]!.x - p.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(after.positions[id]!.y - p.y)).toBeLessThanOrEqual(1);
    }
    expect(await other.isChecked(testId('filter-rel-VIEWED'))).toBe(false);
    expect(await other.inputValue(testId('filter-min-weight'))).toBe('2');
    await other.click(testId('style-menu'));
    expect(await other.inputValue(testId('color-select'))).toBe('degree');
    await other.click(testId('style-menu'));
    expect(await other.inputValue(testId('layout-select'))).toBe('concentric');
    // The filter is in the deep link as after opening any scene.
    await other.waitForFunction(() => location.hash.includes('f='));
    await shot(other, '31-saved-scenes-server');

    // Deleted on the server: gone from the list and from the API.
    await other.click(`${sceneRow('server')} ${testId('delete-scene')}`);
    await other.waitForFunction((sel) => !document.querySelector(sel), sceneRow('server'));
    expect(await apiScenes(keys.service)).not.toContain(name);
    await other.close();
  });

  it('says that a server without keys (the local default) keeps scenes in the browser, and offers no key field', { timeout: 120_000 }, async () => {
    const local = await serveApp(db);
    try {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(local.url);
      await ready(page);
      await importFile(page);
      await page.click(testId('filter-toggle'));
      await page.waitForSelector(`${testId('server-scenes-status')}[data-state="no-keys"]`);
      expect(await page.textContent(testId('server-scenes-status'))).toContain('without API keys');
      expect(await page.locator(testId('use-api-key')).count()).toBe(0);
      expect(await page.locator(testId('scene-target')).count()).toBe(0);
      await page.fill(testId('scene-name'), 'Local default');
      await page.click(testId('save-scene'));
      await page.waitForSelector(sceneRow('browser', 'Local default'));
      await shot(page, '32-saved-scenes-no-keys');
      await context.close();
    } finally {
      await local.close();
    }
  });
});
