import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { searchAndAdd, settled, shot, testId, useExplorerBrowser } from './browser.js';
import { seedSmallGraph, type SmallGraph } from './small-graph.js';

// The selection table (issue 15, Deliver 5): several nodes selected on the canvas are listed in
// the details side with type, readable name, relations on canvas and the numeric properties they
// share; sortable, counted, a CSV of what it shows, a row centres its node. On the small graph.

type Cy = import('cytoscape').Core;
let graph: SmallGraph;
const env = useExplorerBrowser({
  seed: async (db) => { graph = await seedSmallGraph(db, 'e2e_sel'); },
  unseed: () => graph.remove(),
});

/** A node's place on the page (for mouse clicks). */
const at = (page: Page, key: string) => page.evaluate((k) => {
  const cy = (window as unknown as { cy: Cy }).cy;
  const p = cy.getElementById(k).renderedPosition();
  const box = cy.container()!.getBoundingClientRect();
  return { x: box.left + p.x, y: box.top + p.y };
}, key);

const click = async (page: Page, key: string, shift = false) => {
  // Apart by more than Cytoscape's double-tap time: two quick taps, even on different nodes, are a double tap (an expand).
  await page.waitForTimeout(400);
  const p = await at(page, key);
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.click(p.x, p.y);
  if (shift) await page.keyboard.up('Shift');
};

/** The table's rows: node key and cell texts, top to bottom. */
const rows = (page: Page) => page.$$eval(`${testId('selection-table')} tbody tr`, (trs) => trs.map((tr) => ({
  key: tr.getAttribute('data-key')!, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()), on: tr.classList.contains('on'),
})));

describe('the selection table', () => {
  it('lists three selected products, sorts them, downloads the CSV and centres a row\'s node', { timeout: 180_000 }, async () => {
    const page = await env.open();
    const [suv, kettle, tent] = ['suv', 'kettle', 'tent'].map((p) => `Product:${graph.ns}-${p}`) as [string, string, string];
    const camping = `Interest:${graph.camping}`;
    await searchAndAdd(page, 'Firefly City SUV', suv, 15_000);
    await searchAndAdd(page, 'Outdoor coffee kettle', kettle, 15_000);
    await searchAndAdd(page, 'Four-person tent', tent, 15_000);
    await searchAndAdd(page, 'Firefly camping', camping, 15_000);
    // Relations on canvas: camping's neighbours (the tent among them), then the SUV's.
    await page.evaluate(async (ks) => { for (const k of ks) await (window as unknown as { explorer: { expand(k: string): Promise<void> } }).explorer.expand(k); }, [camping, suv]);
    await settled(page);
    // Relations on canvas as the page has them now (an expansion's edges may still arrive after settling).
    const degrees = () => page.evaluate((ks) => {
      const cy = (window as unknown as { cy: Cy }).cy;
      return Object.fromEntries(ks.map((k) => [k, cy.getElementById(k).connectedEdges().not('.more').not('.derived').not('.reason').length]));
    }, [suv, kettle, tent]);
    let degree = await degrees();
    expect(degree[tent]).toBeGreaterThan(0);
    expect(degree[suv]).toBeGreaterThan(degree[kettle]!);

    // One node: its details, no table. Shift-click two more: the table.
    await click(page, suv);
    await page.waitForSelector(testId('details-title'));
    expect(await page.locator(testId('selection-table')).count()).toBe(0);
    await click(page, kettle, true);
    await click(page, tent, true);
    await page.waitForSelector(testId('selection-table'));
    await page.waitForFunction(() => document.querySelector('[data-testid="selection-count"]')?.textContent === '3 selected');
    expect(await page.$$eval(`${testId('selection-table')} thead th`, (ths) => ths.map((th) => th.getAttribute('data-col')))).toEqual(['type', 'name', 'degree', 'p:price']);
    // Most relations on canvas first, by default.
    degree = await degrees();
    let shown = await rows(page);
    expect(shown.map((r) => r.key)).toEqual([suv, tent, kettle].sort((a, b) => degree[b]! - degree[a]!));
    const suvRow = shown.find((r) => r.key === suv)!;
    expect(suvRow.cells).toEqual(['Product', 'Firefly City SUV', String(degree[suv]), '189,000']);
    // The type's legend look beside its name.
    expect(await page.$eval(`${testId('selection-table')} tbody tr td .swatch`, (s) => s.className)).toBe('swatch round-rectangle');

    // Sort by price: dearest first, a second click cheapest first.
    await page.click(`${testId('selection-table')} th[data-col="p:price"]`);
    expect((await rows(page)).map((r) => r.key)).toEqual([suv, tent, kettle]);
    await page.click(`${testId('selection-table')} th[data-col="p:price"]`);
    expect((await rows(page)).map((r) => r.key)).toEqual([kettle, tent, suv]);
    await page.click(`${testId('selection-table')} th[data-col="name"]`);
    expect((await rows(page)).map((r) => r.cells[1])).toEqual(['Firefly City SUV', 'Four-person tent', 'Outdoor coffee kettle']);

    // The CSV holds what the table shows, in its order.
    degree = await degrees();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(testId('selection-csv'))]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').split('\n');
    expect(csv).toEqual([
      'type,name,relations on canvas,price',
      `Product,Firefly City SUV,${degree[suv]},189000`,
      `Product,Four-person tent,${degree[tent]},899`,
      `Product,Outdoor coffee kettle,${degree[kettle]},299`,
    ]);

    // A row centres its node and marks it; the selection and the table stay.
    await page.click(`${testId('selection-table')} tbody tr[data-key="${kettle}"]`);
    await settled(page);
    const centred = await page.evaluate((k) => {
      const cy = (window as unknown as { cy: Cy }).cy;
      const n = cy.getElementById(k);
      return { x: n.renderedPosition().x - cy.width() / 2, y: n.renderedPosition().y - cy.height() / 2, highlighted: n.hasClass('highlight'), selected: cy.nodes(':selected').length };
    }, kettle);
    expect(Math.abs(centred.x)).toBeLessThan(2);
    expect(Math.abs(centred.y)).toBeLessThan(2);
    expect(centred.highlighted).toBe(true);
    expect(centred.selected).toBe(3);
    shown = await rows(page);
    expect(shown.find((r) => r.on)?.key).toBe(kettle);
    await shot(page, 'selection-table');

    // Chinese: the same table in Chinese words.
    await page.click(`${testId('lang-switch')} [data-lang="zh"]`);
    await page.waitForFunction(() => document.querySelector('[data-testid="selection-count"]')?.textContent === '已选 3 个');
    // Still by name, now in pinyin order: hù, sì, yíng.
    expect((await rows(page)).map((r) => r.cells.slice(0, 2))).toEqual([['产品', '户外咖啡壶'], ['产品', '四人帐篷'], ['产品', '萤火虫城市SUV']]);
    await shot(page, 'selection-table-zh');
    await page.click(`${testId('lang-switch')} [data-lang="en"]`);

    // Shift-click one off: two left; again: the one left's details.
    await click(page, tent, true);
    await page.waitForFunction(() => document.querySelector('[data-testid="selection-count"]')?.textContent === '2 selected');
    await click(page, suv, true);
    await page.waitForFunction(() => !document.querySelector('[data-testid="selection-table"]') && document.querySelector('[data-testid="details-title"]')?.textContent === 'Outdoor coffee kettle');

    await page.keyboard.press('Escape');
    // A box dragged with shift around the scene selects every node: all of them in the table.
    // From a corner of the scene where the canvas itself is (not the toolbar, legend or count over it) to the opposite one.
    const box = await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      const c = cy.container()!.getBoundingClientRect();
      const b = cy.nodes().renderedBoundingBox({});
      const xs = [c.left + Math.max(2, b.x1 - 20), c.left + Math.min(cy.width() - 2, b.x2 + 20)];
      const ys = [c.top + Math.max(2, b.y1 - 20), c.top + Math.min(cy.height() - 2, b.y2 + 20)];
      for (const [i, j] of [[1, 1], [0, 0], [1, 0], [0, 1]] as const) {
        if (cy.container()!.contains(document.elementFromPoint(xs[i]!, ys[j]!))) return { from: { x: xs[i]!, y: ys[j]! }, to: { x: xs[1 - i]!, y: ys[1 - j]! } };
      }
      throw new Error('no corner of the scene is bare canvas');
    });
    await page.keyboard.down('Shift');
    await page.mouse.move(box.from.x, box.from.y);
    await page.mouse.down();
    await page.mouse.move(box.to.x, box.to.y, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const selected = await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes(':selected').not('.more').length);
    expect(selected).toBeGreaterThan(3);
    await page.waitForFunction((n) => document.querySelector('[data-testid="selection-count"]')?.textContent === `${n} selected`, selected);
    expect(await rows(page)).toHaveLength(selected);
    expect((await rows(page)).map((r) => r.cells[1]).join(' ')).not.toMatch(/c_[A-Za-z0-9_-]{22}/);
    await shot(page, 'selection-table-box');
    await page.close();
  });
});
