import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { filterSceneFile } from '../support/scene-filter-file.js';
import { settled, shot, testId, useExplorerBrowser } from './browser.js';

// The "Filter & scenes" panel: filter a scene by relation, weight and time window, colour it by
// degree, save it, and reopen the saved scene after a reload with its positions, filter and colours.
// The scene comes from a scene file (the export format) with dated relations.

const env = useExplorerBrowser();

type Cy = import('cytoscape').Core;
const file = filterSceneFile();

/** Edges the page draws (not hidden by the filter), by relation, and the weights and last timestamps of those drawn. */
const drawn = (page: Page) => page.evaluate(() => {
  const cy = (window as unknown as { cy: Cy }).cy;
  const edges = cy.edges().filter((e) => e.visible());
  return {
    relations: [...new Set(edges.map((e) => e.data('relation') as string))].sort(),
    weights: edges.map((e) => e.data('weight') as number),
    lastTs: edges.map((e) => e.data('lastTs') as number),
    nodes: cy.nodes().filter((n) => n.visible()).length,
    edges: edges.length,
  };
});

/** Sets a range input's value as a drag would end (a change event); the value it snapped to. */
const slide = (page: Page, id: string, value: number) => page.$eval(testId(id), (el, v) => {
  const input = el as HTMLInputElement;
  input.value = String(v);
  const snapped = Number(input.value);
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return snapped;
}, value);

/** Waits (up to 10 s) until the page draws `n` edges: a filter applies after its input event; the expectations after it report a miss. */
const edgesDrawn = (page: Page, n: number) =>
  page.waitForFunction((count) => (window as unknown as { cy: Cy }).cy.edges().filter((e) => e.visible()).length === count, n, { timeout: 10_000 }).catch(() => undefined);

describe('the filter and saved-scenes panel', () => {
  it('filters by relation, weight and time window, colours by degree, saves the scene and reopens it after a reload', { timeout: 180_000 }, async () => {
    const page = await env.open();
    await page.evaluate((f) => (window as unknown as { explorer: { importScene(x: unknown): Promise<void> } }).explorer.importScene(f), file);
    await settled(page);
    const all = await drawn(page);
    expect(all.edges).toBe(file.edges.length);
    expect(all.relations).toEqual(['INTERESTED_IN', 'PURCHASED', 'VIEWED']);

    await page.click(testId('filter-toggle'));
    await page.waitForSelector(testId('scene-panel'), { state: 'visible' });
    expect(await page.textContent(testId('filter-showing'))).toContain(`${file.nodes.length} of ${file.nodes.length} nodes`);

    // Relation: VIEWED off.
    await page.uncheck(testId('filter-rel-VIEWED'));
    await edgesDrawn(page, file.edges.filter((e) => e.relation !== 'VIEWED').length);
    let now = await drawn(page);
    expect(now.relations).toEqual(['INTERESTED_IN', 'PURCHASED']);
    expect(now.edges).toBe(file.edges.filter((e) => e.relation !== 'VIEWED').length);

    // Weight: at least 3 (interest links weigh 1, so they go too; a consumer left without a shown relation is hidden).
    await page.fill(testId('filter-min-weight'), '3');
    await page.press(testId('filter-min-weight'), 'Tab');
    const byWeight = file.edges.filter((e) => e.relation !== 'VIEWED' && e.weight >= 3);
    await edgesDrawn(page, byWeight.length);
    now = await drawn(page);
    expect(now.edges).toBe(byWeight.length);
    expect(Math.min(...now.weights)).toBeGreaterThanOrEqual(3);
    const endsShown = new Set(byWeight.flatMap((e) => [e.source, e.target]));
    expect(now.nodes).toBe(endsShown.size);

    // Time window: from the middle of the year on.
    const middle = Math.round((file.edges.reduce((m, e) => Math.min(m, e.firstTs), Infinity) + file.edges.reduce((m, e) => Math.max(m, e.lastTs), 0)) / 2);
    const since = await slide(page, 'filter-since', middle);
    const inWindow = byWeight.filter((e) => e.lastTs >= since);
    await edgesDrawn(page, inWindow.length);
    now = await drawn(page);
    expect(inWindow.length).toBeGreaterThan(0);
    expect(inWindow.length).toBeLessThan(byWeight.length);
    expect(now.edges).toBe(inWindow.length);
    expect(Math.min(...now.lastTs)).toBeGreaterThanOrEqual(since);
    expect(await page.textContent(testId('filter-showing'))).toContain(`${inWindow.length} of ${file.edges.length} relations`);
    // The filter travels in the deep link.
    await page.waitForFunction(() => location.hash.includes('f='));

    // Style: colour by degree (the legend shows the ramp), size by summed weight.
    await page.click(testId('style-menu'));
    await page.selectOption(testId('color-select'), 'degree');
    await page.selectOption(testId('size-select'), 'weight');
    expect(await page.textContent('.legend')).toContain('16+');
    const colours = await page.evaluate(() => new Set((window as unknown as { cy: Cy }).cy.nodes().filter((n) => n.visible()).map((n) => n.style('background-color') as string)).size);
    expect(colours).toBeGreaterThan(1);
    await page.click(testId('style-menu'));
    await shot(page, '20-filter-panel-en');

    // Save it.
    await page.fill(testId('scene-name'), 'Mid-year heavy buyers');
    await page.click(testId('save-scene'));
    await page.waitForSelector(`${testId('saved-scenes')} [data-scene="Mid-year heavy buyers"]`);
    const saved = await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      return Object.fromEntries(cy.nodes().map((n) => [n.id(), n.position()]));
    });

    // A fresh start (same browser profile, no deep link): an empty canvas, then open the saved scene.
    await page.goto(`${env.url}/`);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { explorer?: unknown }).explorer !== undefined);
    await page.evaluate(() => (window as unknown as { explorer: { ready: Promise<void> } }).explorer.ready);
    expect(await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes().length)).toBe(0);
    await page.click(testId('filter-toggle'));
    await page.click(`${testId('saved-scenes')} [data-scene="Mid-year heavy buyers"] ${testId('open-scene')}`);
    await page.waitForFunction((n) => (window as unknown as { cy: Cy }).cy.nodes().length === n, file.nodes.length);
    const reopened = await drawn(page);
    expect(reopened.edges).toBe(inWindow.length);
    expect(reopened.relations).toEqual(['PURCHASED']);
    const positions = await page.evaluate(() => Object.fromEntries((window as unknown as { cy: Cy }).cy.nodes().map((n) => [n.id(), n.position()])));
    for (const [id, p] of Object.entries(saved)) {
      expect(Math.abs(positions[id]!.x - p.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(positions[id]!.y - p.y)).toBeLessThanOrEqual(1);
    }
    await page.click(testId('style-menu'));
    expect(await page.inputValue(testId('color-select'))).toBe('degree');
    expect(await page.inputValue(testId('size-select'))).toBe('weight');
    expect(await page.isChecked(testId('filter-rel-VIEWED'))).toBe(false);
    expect(await page.inputValue(testId('filter-min-weight'))).toBe('3');

    // The same panel in Chinese.
    await page.click(`${testId('lang-switch')} [data-lang="zh"]`);
    expect(await page.textContent(testId('filter-showing'))).toContain('个节点');
    await shot(page, '21-filter-panel-zh');

    // Showing everything again, then deleting the saved scene.
    await page.click(testId('filter-reset'));
    expect((await drawn(page)).edges).toBe(file.edges.length);
    await page.click(`${testId('saved-scenes')} [data-scene="Mid-year heavy buyers"] ${testId('delete-scene')}`);
    expect(await page.locator(`${testId('saved-scenes')} [data-scene="Mid-year heavy buyers"]`).count()).toBe(0);
    await page.close();
  });
});
