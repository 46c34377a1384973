import type { Page } from 'playwright-core';
import { benchSceneFile } from './scene-file.js';

// What `npm run bench:web` and the big-scene end-to-end test both do on the explorer page.

/**
 * Imports a generated scene of `n` nodes (twice as many edges) through the page's explorer:
 * `addLayoutMs` until elements are added, styled and laid out, `sceneMs` until the next
 * animation frame after that (Cytoscape draws in its own frame callback, queued first).
 */
export async function importSceneTimed(page: Page, n: number): Promise<{ edges: number; addLayoutMs: number; sceneMs: number }> {
  const file = benchSceneFile(n);
  const t = await page.evaluate(async (f) => {
    const w = window as unknown as { explorer: { importScene(x: unknown): Promise<void> } };
    const t0 = performance.now();
    await w.explorer.importScene(f);
    const t1 = performance.now();
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    return { addLayoutMs: t1 - t0, sceneMs: performance.now() - t0 };
  }, file);
  return { edges: file.edges.length, ...t };
}

/** Zooms in on the scene's middle node and centres it; its id and screen position, to click. */
export function focusMiddleNode(page: Page): Promise<{ id: string; x: number; y: number }> {
  return page.evaluate(() => {
    const cy = (window as unknown as { cy: import('cytoscape').Core }).cy;
    const node = cy.nodes()[Math.floor(cy.nodes().length / 2)]!;
    cy.zoom({ level: 1.2, position: node.position() });
    cy.center(node);
    const p = node.renderedPosition();
    const box = cy.container()!.getBoundingClientRect();
    return { id: node.id(), x: box.left + p.x, y: box.top + p.y };
  });
}
