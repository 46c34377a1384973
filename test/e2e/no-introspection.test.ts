import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { searchAndAdd as addBySearch, settled, shot, testId, useExplorerBrowser } from './browser.js';
import { seedSmallGraph, type SmallGraph } from './small-graph.js';

// The explorer against the app in production mode (NODE_ENV=production, the Dockerfile's
// default): GraphQL introspection is refused, so the explorer cannot read the server's
// capabilities and must build every query from the contract's fields alone.

type Cy = import('cytoscape').Core;
let graph: SmallGraph;
const key = (type: string, id: string) => `${type}:${id}`;
const searchAndAdd = (page: Page, text: string, k: string) => addBySearch(page, text, k, 20_000);
const entityNodes = (page: Page) => page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes().not('.more').length);
const noLoading = (page: Page, within: string) =>
  page.waitForFunction((sel) => !document.querySelector(`${sel} [data-state="loading"]`), within, { timeout: 30_000 });
/** No error or "the server does not offer …" notice anywhere on the page. */
const noErrors = async (page: Page) => expect(await page.$$eval('[data-state="error"], [data-state="unsupported"]', (els) => els.map((e) => e.textContent))).toEqual([]);

const env = useExplorerBrowser({
  seed: async (db) => { graph = await seedSmallGraph(db, 'e2e_prod'); },
  unseed: () => graph.remove(),
  config: { production: true },
});

describe('the explorer without GraphQL introspection (production mode)', () => {
  it('is served by a server that refuses introspection', async () => {
    const res = await fetch(`${env.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.errors?.[0]?.message).toMatch(/introspection is disabled/);
  });

  it('searches, expands, shows details and recommendations', async () => {
    const page = await env.open();
    await searchAndAdd(page, '萤火虫露营', key('Interest', graph.camping));
    await settled(page);
    const hub = await page.evaluate((k) => {
      const cy = (window as unknown as { cy: Cy }).cy;
      const p = cy.getElementById(k).renderedPosition();
      const box = cy.container()!.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    }, key('Interest', graph.camping));
    await page.mouse.dblclick(hub.x, hub.y);
    await page.waitForFunction((k) => (window as unknown as { cy: Cy }).cy.getElementById('more:' + k).nonempty(), key('Interest', graph.camping), { timeout: 30_000 });
    // 30 consumers + 1 product + 1 subtopic: the two named ones added, the consumers one aggregate.
    expect(await entityNodes(page)).toBe(3);
    expect(await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes('.more').data('label'))).toBe('30 consumers');
    // Details of the hub: connection counts in the graph, related products.
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="details-panel"] .count-row .n')].some((n) => n.textContent === '…'), undefined, { timeout: 30_000 });
    expect(await page.textContent(`${testId('details-panel')} .count-row[data-relation="INTERESTED_IN"] .n`)).toBe('30');
    await noLoading(page, testId('recommendations-panel'));
    // A consumer's recommendations follow the slider.
    await searchAndAdd(page, graph.consumers[3]!, key('Consumer', graph.consumers[3]!));
    await noLoading(page, testId('recommendations-panel'));
    await page.locator(testId('exploration-slider')).fill('0.9');
    await page.waitForFunction(() => location.hash.includes('x=0.9'));
    await noLoading(page, testId('recommendations-panel'));
    expect(await page.locator('[data-testid="recommendation"]').count()).toBeGreaterThan(0);
    await page.locator('[data-testid="recommendation"]').first().click();
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.elements('.highlight').length > 1);
    await noErrors(page);
    await settled(page);
    await shot(page, '21-no-introspection-explore');
    await page.close();
  });

  it('shows demand links, paths and opportunities', async () => {
    const page = await env.open();
    await searchAndAdd(page, '萤火虫露营', key('Interest', graph.camping));
    // Demand links from the selected interest to products: the contract's three figures.
    await page.click('.tabs [data-view="demand"]');
    await page.selectOption(testId('demand-target'), 'Product');
    const suvRow = `${testId('demand-links-view')} tbody tr[data-key="${key('Product', graph.suv)}"]`;
    await page.waitForSelector(suvRow, { timeout: 30_000 });
    expect(await page.$$eval(`${testId('demand-links-view')} th[data-col]`, (ths) => ths.map((th) => th.getAttribute('data-col')))).toEqual(['support', 'confidence', 'lift']);
    expect(await page.textContent(`${suvRow} td:nth-child(4)`)).toBe('1.33');
    await page.click(suvRow);
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.edges('.derived.highlight').length === 1);
    await settled(page);
    await shot(page, '22-no-introspection-demand');
    // Paths between the two selected entities.
    await page.evaluate((keys) => {
      const cy = (window as unknown as { cy: Cy }).cy;
      cy.nodes().unselect();
      for (const k of keys) cy.getElementById(k).select();
    }, [key('Interest', graph.camping), key('Product', graph.suv)]);
    await page.click('.tabs [data-view="paths"]');
    await page.waitForSelector(`${testId('paths-view')} [data-testid="path"]`, { timeout: 30_000 });
    await page.click(`${testId('paths-view')} [data-testid="path"]`);
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.nodes('.highlight').length >= 3);
    // Opportunities: the ranked list loads and a card draws its interests.
    await page.click('.tabs [data-view="opportunities"]');
    await noLoading(page, testId('opportunities-view'));
    const cards = page.locator(`${testId('opportunities-view')} [data-testid="opportunity"]`);
    if (await cards.count()) {
      await cards.first().click();
      // A scene of its own: the need's hub and its interests (nothing highlighted: the whole scene is the need).
      await page.waitForFunction(() => { const cy = (window as unknown as { cy: Cy }).cy; return cy.nodes('[type = "Opportunity"]').length === 1 && cy.nodes('[type = "Interest"]').length >= 2; });
    }
    await noErrors(page);
    await settled(page);
    await shot(page, '23-no-introspection-opportunities');
    await page.close();
  });
});
