import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { focusMiddleNode, importSceneTimed } from '../support/scene-page.js';
import { shotsDir, useExplorerBrowser } from './browser.js';

// Big scenes: generated scene files (the explorer's own JSON export format) imported through the
// page, laid out and used. Timings are printed as figures (`npm run bench:web` for the table);
// the assertions are about behaviour.

const env = useExplorerBrowser();

// BIG_SCENE_SIZES=1000,5000,10000 adds the 10k benchmark point (slow on a shared 2-core machine).
const sizes = (process.env.BIG_SCENE_SIZES ?? '1000,5000').split(',').map(Number).filter((n) => n > 0);

describe('big scenes', () => {
  it.each(sizes)('adds, lays out and stays interactive with %i nodes and twice as many edges', { timeout: 600_000 }, async (n) => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await page.goto(env.url);
      await page.waitForFunction(() => (window as unknown as { explorer?: unknown }).explorer !== undefined);
      const ms = (await importSceneTimed(page, n)).sceneMs;
      console.log(`[big scene] ${n} nodes / ${2 * n} edges: added + laid out + drawn in ${Math.round(ms)} ms`);
      const state = await page.evaluate(() => {
        const cy = (window as unknown as { cy: import('cytoscape').Core }).cy;
        const xs = cy.nodes().map((x) => x.position('x'));
        const spots = new Set(cy.nodes().map((x) => `${Math.round(x.position('x'))},${Math.round(x.position('y'))}`));
        return { nodes: cy.nodes().length, edges: cy.edges().length, spread: Math.max(...xs) - Math.min(...xs), spots: spots.size };
      });
      expect(state.nodes).toBe(n);
      expect(state.edges).toBe(2 * n);
      expect(state.spread).toBeGreaterThan(100);
      // Laid out: no two nodes left on one spot.
      expect(state.spots).toBeGreaterThan(n * 0.99);
      expect(await page.textContent('[data-testid="scene-count"]')).toContain(n.toLocaleString('en-US'));
      // Interactive: zoom, pan and a click on a node still work and select it.
      const clicked = await focusMiddleNode(page);
      // Zoomed in on a big scene, the nodes in view get their labels (and only those).
      if (n > 1500) {
        await page.waitForFunction(() => (window as unknown as { cy: import('cytoscape').Core }).cy.nodes('.labelled').length > 0, undefined, { timeout: 30_000 });
        const labelled = await page.evaluate(() => (window as unknown as { cy: import('cytoscape').Core }).cy.nodes('.labelled').length);
        expect(labelled).toBeLessThanOrEqual(400);
      }
      // The grid hit test of big scenes answers as Cytoscape's own pass over every element would.
      if (n > 1500) {
        const agreement = await page.evaluate(() => {
          const cy = (window as unknown as { cy: import('cytoscape').Core }).cy;
          type R = { findNearestElements(x: number, y: number, i: boolean, t: boolean): { id(): string }[] };
          const r = (cy as unknown as { renderer(): R }).renderer();
          const fullPass = (Object.getPrototypeOf(r) as R).findNearestElements;
          const ext = cy.extent();
          let same = 0, hits = 0;
          for (let i = 0; i < 200; i++) {
            const x = ext.x1 + ((i * 37) % 200) / 200 * ext.w, y = ext.y1 + ((i * 91) % 200) / 200 * ext.h;
            const grid = r.findNearestElements(x, y, true, i % 2 === 0).map((e) => e.id()).join(',');
            const all = fullPass.call(r, x, y, true, i % 2 === 0).map((e) => e.id()).join(',');
            if (grid === all) same++;
            if (all) hits++;
          }
          return { same, hits };
        });
        expect(agreement.same).toBe(200);
        expect(agreement.hits).toBeGreaterThan(20);
      }
      const t1 = Date.now();
      await page.mouse.click(clicked.x, clicked.y);
      await page.waitForFunction(() => (window as unknown as { cy: import('cytoscape').Core }).cy.nodes(':selected').length === 1, undefined, { timeout: 60_000 });
      const selected = await page.evaluate(() => (window as unknown as { cy: import('cytoscape').Core }).cy.nodes(':selected').data('entityId') as string);
      await page.waitForFunction((id) => document.querySelector('[data-testid="details-panel"]')?.textContent?.includes(id), selected, { timeout: 60_000 });
      console.log(`[big scene] ${n} nodes: click → selected + details in ${Date.now() - t1} ms`);
      await page.evaluate(() => (window as unknown as { cy: import('cytoscape').Core }).cy.fit(undefined, 20));
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(shotsDir, `10-big-scene-${n}.png`) });
    } finally {
      await page.close();
    }
  });
});
