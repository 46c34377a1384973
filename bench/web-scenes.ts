import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { repoRoot } from '../server/config.js';
import { textTable } from './report.js';
import { focusMiddleNode, importSceneTimed } from '../test/support/scene-page.js';

// `npm run bench:web [-- --sizes 1000,5000,10000] [--webgl] [--runs N]`: the explorer in headless
// Chromium, time from a scene in hand (the JSON export format) to a laid-out, drawn scene, and
// from a click on a node to its details. No database: the page's API calls get a GraphQL error.

const dist = join(repoRoot, 'web', 'dist');
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** Serves web/dist; /graphql answers every request with an error, so the page shows no data of its own. */
function serveDist(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/graphql')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'benchmark page: no API', extensions: { code: 'BAD_USER_INPUT' } }] }));
      return;
    }
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    let file = normalize(join(dist, path));
    if (!file.startsWith(dist) || !existsSync(file) || path === '/') file = join(dist, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, server })));
}

export interface SceneTiming {
  nodes: number;
  edges: number;
  /** importScene: elements added, styled and laid out (JavaScript on the page). */
  addLayoutMs: number;
  /** Until the next animation frame after that: the scene is drawn. */
  sceneMs: number;
  /** A click on a node until it is selected and its details show. */
  clickMs: number;
}

/** Loads a scene of `n` nodes into a fresh page and times it. */
export async function timeScene(browser: Browser, url: string, n: number): Promise<SceneTiming> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { explorer?: unknown }).explorer !== undefined);
    await page.evaluate(() => (window as unknown as { explorer: { ready: Promise<void> } }).explorer.ready);
    const t = await importSceneTimed(page, n);
    const target = await focusMiddleNode(page);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const c0 = Date.now();
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction(() => {
      const cy = (window as unknown as { cy: import('cytoscape').Core }).cy;
      const id = cy.nodes(':selected').data('entityId') as string | undefined;
      return !!id && !!document.querySelector('[data-testid="details-panel"]')?.textContent?.includes(id);
    }, undefined, { timeout: 120_000 });
    return { nodes: n, edges: t.edges, addLayoutMs: Math.round(t.addLayoutMs), sceneMs: Math.round(t.sceneMs), clickMs: Date.now() - c0 };
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const sizes = (arg('--sizes') ?? '1000,5000,10000').split(',').map(Number).filter((x) => x > 0);
  const runs = Number(arg('--runs') ?? 1);
  const webgl = args.includes('--webgl');
  if (!existsSync(join(dist, 'index.html'))) await build({ configFile: join(repoRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
  const { url, server } = await serveDist();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // WebGL needs the GPU process (SwiftShader in headless); the canvas renderer does not.
    args: ['--headless', '--no-sandbox', ...(webgl ? [] : ['--disable-gpu'])],
  });
  const rows: (string | number)[][] = [];
  try {
    const load = loadavg().map((x) => x.toFixed(2)).join(' ');
    for (const n of sizes) {
      for (let r = 0; r < runs; r++) {
        const t = await timeScene(browser, webgl ? `${url}?renderer=webgl` : url, n);
        rows.push([t.nodes, t.edges, t.addLayoutMs, t.sceneMs, t.clickMs]);
        console.log(`[bench:web] ${t.nodes} nodes / ${t.edges} edges: scene in ${t.sceneMs} ms (add + layout ${t.addLayoutMs} ms), click → details ${t.clickMs} ms`);
      }
    }
    console.log(`\nExplorer big scenes (headless Chromium, ${webgl ? 'WebGL' : 'canvas'} renderer; load average before: ${load}, after: ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
    console.log(textTable(['nodes', 'edges', 'add + layout ms', 'laid out + drawn ms', 'click → details ms'], rows));
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1]?.endsWith('/bench/web-scenes.ts')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
