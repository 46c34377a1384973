import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/config.js';
import { createDriver, Database } from '../../server/db/neo4j.js';
import { applySchema } from '../../server/graph/setup.js';
import { refreshDerived } from '../../server/domains.js';
import { seedIfEmpty } from '../../server/ingest/seed.js';
import { startThrowawayNeo4j, type ThrowawayNeo4j } from '../../server/local-neo4j/throwaway.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testConfig } from '../support/neo4j.js';
import { recommendProducts } from '../../server/recommend/engine.js';
import { createModelHolder } from '../../server/recommend/model/holder.js';
import { ensureWebBuilt, launchChromium, openExplorer, searchAndAdd as addBySearch, serveApp, settled, shot, testId } from './browser.js';

/** The demo graph is large; its search answers get more time than the small graph's. */
const searchAndAdd = (page: Page, text: string, key: string) => addBySearch(page, text, key, 30_000);

// The explorer's user flows against the running server on the demo seeds (seeds/demo), loaded
// by the same loader `npm start` uses (seedIfEmpty). The seeds have fixed ids and graph-wide
// derived values, so they get a throw-away Neo4j of their own: the shared test database, where
// other files create and delete their own namespaced data, never sees them.

const secret = testConfig().pseudonymSecret;
let neo: ThrowawayNeo4j;
let db: Database;
let app: Awaited<ReturnType<typeof serveApp>>;
let browser: Browser;
const scratch = mkdtempSync(join(tmpdir(), 'kg-e2e-demo-'));

beforeAll(async () => {
  await ensureWebBuilt();
  neo = await startThrowawayNeo4j({ prefix: 'kg-e2e-demo-neo4j-', heap: '768m', pagecache: '256m' });
  db = new Database(createDriver({ uri: neo.running.uri, user: neo.running.user, password: neo.running.password, database: 'neo4j', queryTimeoutMs: 120_000 }), 'neo4j', 120_000);
  await applySchema(db, coreVocabulary);
  const t0 = Date.now();
  const seeded = await seedIfEmpty(db, coreVocabulary, join(repoRoot, 'seeds', 'demo'), { pseudonymSecret: secret, rejectsFile: join(scratch, 'rejects.csv'), refresh: refreshDerived });
  console.log(`[demo e2e] demo seeds loaded: ${seeded.summary?.loaded ?? 0} triples in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  expect(seeded.summary?.rejected ?? 0).toBe(0);
  app = await serveApp(db);
  browser = await launchChromium();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
  await neo?.stop();
  rmSync(scratch, { recursive: true, force: true });
}, 120_000);

type Cy = import('cytoscape').Core;
const nodeIds = (page: Page) => page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes().not('.more').map((n) => n.id()).sort());
const notLoading = (page: Page, within: string) =>
  page.waitForFunction((sel) => !document.querySelector(`${sel} [data-state="loading"]`) && !document.querySelector(`${sel} .skeleton`), within, { timeout: 60_000 });

const open = (path = '/') => openExplorer(browser, app.url + path);

async function screenPos(page: Page, key: string): Promise<{ x: number; y: number }> {
  return page.evaluate((k) => {
    const cy = (window as unknown as { cy: Cy }).cy;
    const p = cy.getElementById(k).renderedPosition();
    const box = cy.container()!.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, key);
}

describe('recommendations on the demo graph', () => {
  it('moves with exploration: a consumer’s top 10 at 0 and at 1 share at most half their items', async () => {
    const model = createModelHolder(db);
    expect(await model.sync()).not.toBeNull();
    const deps = { db, vocabulary: coreVocabulary, pseudonymSecret: secret, model };
    const consumers = await db.read('test-demo-buyers', 'MATCH (u:Consumer) WHERE EXISTS { (u)-[:PURCHASED]->() } RETURN u.id AS id ORDER BY id LIMIT 30');
    for (const { id } of consumers) {
      const safe = new Set((await recommendProducts(deps, String(id), 10, 0)).map((r) => r.entity.id));
      const bold = await recommendProducts(deps, String(id), 10, 1);
      expect(bold.filter((r) => safe.has(r.entity.id)).length, String(id)).toBeLessThanOrEqual(5);
    }
  }, 120_000);
});

describe('the explorer on the demo seeds', () => {
  it('search → expand the camping supernode → a camper’s recommendation → its highlighted reasons', async () => {
    const page = await open();
    // Chinese name, then English name.
    await searchAndAdd(page, '露营', 'Interest:camping');
    await settled(page);
    const hub = await screenPos(page, 'Interest:camping');
    await page.mouse.dblclick(hub.x, hub.y);
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.getElementById('more:Interest:camping').nonempty(), undefined, { timeout: 60_000 });
    const expanded = await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      return { nodes: cy.nodes().not('.more').length, more: cy.nodes('.more').data('count') as number };
    });
    // 201 campers and more around camping: the expansion stops at the cap and says how many wait.
    expect(expanded.nodes).toBe(1 + 25);
    expect(expanded.more).toBeGreaterThan(150);
    await settled(page);
    await notLoading(page, testId('details-panel'));
    await shot(page, '20-demo-camping-expanded');

    // One of the campers the expansion brought in: click it, its recommendations load with reasons.
    const consumer = await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes('[type = "Consumer"]').first().id());
    const at = await screenPos(page, consumer);
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction((id) => document.querySelector('[data-testid="details-title"]')?.textContent?.startsWith(id.slice('Consumer:'.length, 'Consumer:'.length + 8)), consumer, { timeout: 30_000 });
    await page.waitForSelector(testId('recommendations-panel'));
    await notLoading(page, testId('recommendations-panel'));
    const recs = page.locator(testId('recommendation'));
    expect(await recs.count()).toBeGreaterThan(0);
    await recs.first().click();
    await page.waitForSelector(`${testId('recommendations-panel')} .reasons li`);
    const recKey = await recs.first().getAttribute('data-key');
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.edges('.highlight').length >= 2, undefined, { timeout: 30_000 });
    const highlighted = await page.evaluate((k) => {
      const cy = (window as unknown as { cy: Cy }).cy;
      return { product: cy.getElementById(k!).hasClass('highlight'), edges: cy.edges('.highlight').length };
    }, recKey);
    expect(highlighted.product).toBe(true);
    await settled(page);
    await shot(page, '21-demo-recommendation');
    await page.close();
  });

  it('Demand links: SUV fans → camping in the table, shown on canvas', async () => {
    const page = await open();
    await searchAndAdd(page, 'SUVs', 'Interest:suv');
    await page.click('.tabs [data-view="demand"]');
    await page.selectOption(testId('demand-target'), 'Interest');
    await page.waitForSelector(`${testId('demand-links-view')} tbody tr[data-key="Interest:camping"]`, { timeout: 60_000 });
    const lift = await page.$eval(`${testId('demand-links-view')} tbody tr[data-key="Interest:camping"]`, (tr) => {
      const heads = [...tr.closest('table')!.querySelectorAll('th')].map((th) => th.getAttribute('data-col'));
      return Number(tr.children[heads.indexOf('lift')]!.textContent);
    });
    // README story 1: 42 of the 76 SUV fans camp, lift 5.5.
    expect(lift).toBeGreaterThan(4);
    // Every column fits the panel (nothing clipped at 1440 px).
    const clipped = await page.$eval(`${testId('demand-links-view')} table`, (t) => {
      const panel = t.closest('.side')!.getBoundingClientRect();
      return [...t.querySelectorAll('th')].filter((th) => th.getBoundingClientRect().right > panel.right + 1).map((th) => th.textContent);
    });
    expect(clipped).toEqual([]);
    await page.click(`${testId('demand-links-view')} tbody tr[data-key="Interest:camping"]`);
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.edges('.derived.highlight').length === 1, undefined, { timeout: 30_000 });
    await settled(page);
    await shot(page, '22-demo-demand-links');
    await page.close();
  });

  it('Paths: how SUV fans and the portable pour-over kit are connected (through camping)', async () => {
    const page = await open();
    await searchAndAdd(page, 'SUVs', 'Interest:suv');
    await searchAndAdd(page, 'Portable pour-over', 'Product:coffee-15');
    await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      cy.nodes().unselect();
      cy.getElementById('Interest:suv').select();
      cy.getElementById('Product:coffee-15').select();
    });
    await page.click('.tabs [data-view="paths"]');
    await page.waitForSelector(`${testId('paths-view')} [data-testid="path"]`, { timeout: 60_000 });
    expect(await page.locator(`${testId('paths-view')} [data-testid="path"]`).count()).toBeGreaterThan(0);
    await page.click(`${testId('paths-view')} [data-testid="path"]`);
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.nodes('.highlight').length >= 3, undefined, { timeout: 30_000 });
    await settled(page);
    await shot(page, '23-demo-paths');
    await page.close();
  });

  it('Opportunities: the planted ones rank, and choosing one draws its interests and segments', async () => {
    const page = await open();
    await page.click('.tabs [data-view="opportunities"]');
    await notLoading(page, testId('opportunities-view'));
    expect(await page.$(`${testId('opportunities-view')} [data-state="error"]`)).toBeNull();
    const titles = await page.$$eval(`${testId('opportunities-view')} [data-testid="opportunity"] .opp-title`, (els) => els.map((e) => e.textContent ?? ''));
    expect(titles.length).toBeGreaterThan(0);
    // README story 3: camping with dogs, pregnancy-safe skincare, a cat-café reading club.
    expect(titles.join('\n')).toMatch(/Dogs?|Camping|Pregnan|Sensitive|Cat/i);
    await page.locator(`${testId('opportunities-view')} [data-testid="opportunity"]`).first().click();
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.nodes('[type = "Interest"]').length >= 2, undefined, { timeout: 30_000 });
    await settled(page);
    await shot(page, '24-demo-opportunities');
    await page.close();
  });

  it('round-trips a scene of the demo through the URL (Chinese labels)', async () => {
    const page = await open();
    await searchAndAdd(page, '露营', 'Interest:camping');
    await searchAndAdd(page, 'SUVs', 'Interest:suv');
    await page.click(`${testId('lang-switch')} [data-lang="zh"]`);
    await page.waitForFunction(() => location.hash.includes('g=') && location.hash.includes('lang=zh'));
    await page.waitForTimeout(400);
    const again = await open('/' + new URL(page.url()).hash);
    await again.waitForFunction(() => (window as unknown as { cy: Cy }).cy.nodes().length === 2, undefined, { timeout: 30_000 });
    expect(await nodeIds(again)).toEqual(['Interest:camping', 'Interest:suv']);
    expect(await again.textContent('.brand b')).toBe('洞察图谱');
    expect(await again.textContent(testId('details-title'))).toBe('SUV');
    await settled(again);
    await notLoading(again, testId('details-panel'));
    await shot(again, '25-demo-deep-link-zh');
    await page.close();
    await again.close();
  });
});
