import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { GroundTruth } from '../../seeds/generator/ground-truth.js';
import { repoRoot } from '../../server/config.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { createDriver, Database } from '../../server/db/neo4j.js';
import { applySchema } from '../../server/graph/setup.js';
import { refreshDerived } from '../../server/domains.js';
import { seedIfEmpty } from '../../server/ingest/seed.js';
import { startThrowawayNeo4j, type ThrowawayNeo4j } from '../../server/local-neo4j/throwaway.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testConfig } from '../support/neo4j.js';
import { recommendProducts } from '../../server/recommend/engine.js';
import { createModelHolder } from '../../server/recommend/model/holder.js';
import { searchTable } from './search-table.js';
import { searchAndAdd as addBySearch, settled, shot, testId, useExplorerBrowser } from './browser.js';

/** The demo graph is large; its search answers get more time than the small graph's. */
const searchAndAdd = (page: Page, text: string, key: string) => addBySearch(page, text, key, 30_000);

// The explorer's user flows against the running server on the demo seeds (seeds/demo), loaded
// by the same loader `npm start` uses (seedIfEmpty). The seeds have fixed ids and graph-wide
// derived values, so they get a throw-away Neo4j of their own: the shared test database, where
// other files create and delete their own namespaced data, never sees them.

const secret = testConfig().pseudonymSecret;
const scratch = mkdtempSync(join(tmpdir(), 'kg-e2e-demo-'));

const env = useExplorerBrowser({
  database: async () => {
    const neo: ThrowawayNeo4j = await startThrowawayNeo4j({ prefix: 'kg-e2e-demo-neo4j-', heap: '768m', pagecache: '256m' });
    const db = new Database(createDriver({ uri: neo.running.uri, user: neo.running.user, password: neo.running.password, database: 'neo4j', queryTimeoutMs: 120_000 }), 'neo4j', 120_000);
    return { db, stop: async () => { await neo.stop(); rmSync(scratch, { recursive: true, force: true }); } };
  },
  seed: async (db) => {
    await applySchema(db, coreVocabulary);
    const t0 = Date.now();
    const seeded = await seedIfEmpty(db, coreVocabulary, join(repoRoot, 'seeds', 'demo'), { pseudonymSecret: secret, rejectsFile: join(scratch, 'rejects.csv'), refresh: refreshDerived });
    console.log(`[demo e2e] demo seeds loaded: ${seeded.summary?.loaded ?? 0} triples in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(seeded.summary?.rejected ?? 0).toBe(0);
  },
  setupTimeoutMs: 900_000,
});

type Cy = import('cytoscape').Core;
const nodeIds = (page: Page) => page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes().not('.more').map((n) => n.id()).sort());
const notLoading = (page: Page, within: string) =>
  page.waitForFunction((sel) => !document.querySelector(`${sel} [data-state="loading"]`) && !document.querySelector(`${sel} .skeleton`), within, { timeout: 60_000 });

const open = (path = '/') => env.open(path);

/**
 * Pairs of drawn things that overlap: two labels (nodes' and labelled edges', as Cytoscape
 * bounds them) or a node's label and another node; "a ⟷ b" for each.
 */
const labelClashes = (page: Page) => page.evaluate(() => {
  const cy = (window as unknown as { cy: Cy }).cy;
  type B = { x1: number; x2: number; y1: number; y2: number; w: number };
  const boxes: { what: string; owner: string; b: B }[] = [];
  cy.elements(':visible').forEach((el: import('cytoscape').SingularElementArgument) => {
    const node = el.group() === 'nodes';
    const text = el.data('label') as string | undefined;
    const name = node ? (text ?? '').split('\n')[0]! : `edge ${text ?? ''}`;
    const label = el.boundingBox({ includeLabels: true, includeNodes: false, includeEdges: false, includeOverlays: false } as never) as B;
    if (label.w > 0 && text) boxes.push({ what: `label "${name}"`, owner: el.id(), b: label });
    if (node) boxes.push({ what: `node "${name}"`, owner: el.id(), b: el.boundingBox({ includeLabels: false, includeOverlays: false } as never) as B });
  });
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i]!, b = boxes[j]!;
    if (a.owner === b.owner || (a.what.startsWith('node') && b.what.startsWith('node'))) continue;
    if (a.b.x1 < b.b.x2 && b.b.x1 < a.b.x2 && a.b.y1 < b.b.y2 && b.b.y1 < a.b.y2) out.push(`${a.what} ⟷ ${b.what}`);
  }
  return out;
});

async function screenPos(page: Page, key: string): Promise<{ x: number; y: number }> {
  return page.evaluate((k) => {
    const cy = (window as unknown as { cy: Cy }).cy;
    const p = cy.getElementById(k).renderedPosition();
    const box = cy.container()!.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, key);
}

describe('identity stitching on the demo seeds', () => {
  it('recovers exactly the ground-truth persons (precision and recall 1.0)', async () => {
    const truth = JSON.parse(readFileSync(join(repoRoot, 'seeds', 'demo', 'ground-truth.json'), 'utf8')) as GroundTruth;
    const rows = await env.db.read('test-demo-persons', 'MATCH (c:Consumer) RETURN c.id AS id, c.person AS person, c.personIds AS ids');
    const members = new Map<string, string[]>();
    for (const r of rows) members.set(String(r.person), [...(members.get(String(r.person)) ?? []), String(r.id)]);
    const key = (ids: string[]) => [...ids].sort().join(' ');
    const found = new Set([...members.values()].filter((m) => m.length > 1).map(key));
    const wanted = new Set(truth.persons!.multiId.map((p) => key(p.ids.map((raw) => pseudonymize(secret, raw)))));
    const hits = [...found].filter((f) => wanted.has(f)).length;
    const precision = hits / Math.max(1, found.size);
    const recall = hits / Math.max(1, wanted.size);
    console.log(`[demo e2e] stitching: ${rows.length} consumer ids → ${members.size} persons; ${found.size} multi-id persons found, ${wanted.size} in ground-truth.json, ${hits} exact: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
    expect(rows.length).toBe(truth.counts.entities.Consumer);
    expect(members.size).toBe(truth.persons!.total);
    expect(precision).toBe(1);
    expect(recall).toBe(1);
    // Every consumer knows its person's size; a person's id is "p_" + its smallest consumer id's 22 characters.
    for (const r of rows) expect(Number(r.ids), String(r.id)).toBe(members.get(String(r.person))!.length);
    for (const [person, ids] of members) expect(person).toBe(`p_${[...ids].sort()[0]!.slice(2)}`);
  });
});

describe('recommendations on the demo graph', () => {
  it('moves with exploration: a consumer’s top 10 at 0 and at 1 share at most half their items', async () => {
    const db = env.db;
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
  it(`search finds what a person means: ${searchTable.length} queries, English and Chinese`, async () => {
    const wrong: string[] = [];
    for (const c of searchTable) {
      const res = await fetch(`${env.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query($q: String!) { search(query: $q, first: 5) { key } }', variables: { q: c.query } }),
      });
      const keys = ((await res.json()) as { data: { search: { key: string }[] } }).data.search.map((e) => e.key);
      const unwanted = (c.none ?? []).filter((n) => keys.some((k) => k.startsWith(n)));
      if (keys[0] !== c.top || unwanted.length) wrong.push(`${c.query}: ${keys.join(', ')} (want ${c.top} first${unwanted.length ? `, none of ${unwanted.join(', ')}` : ''})`);
    }
    expect(wrong).toEqual([]);

    // In the page: "cat" lists the interest first and no consumer at all.
    const page = await open();
    await page.type(testId('search-input'), 'cat', { delay: 20 });
    await page.waitForSelector(`${testId('search-results')} [data-key="Interest:cat"]`, { timeout: 30_000 });
    const listed = await page.$$eval(`${testId('search-results')} [data-key]`, (els) => els.map((e) => e.getAttribute('data-key')!));
    expect(listed[0]).toBe('Interest:cat');
    expect(listed.filter((k) => k.startsWith('Consumer:'))).toEqual([]);
    await shot(page, '19-demo-search-cat');
    await page.close();
  });

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
      const badge = cy.nodes('.more');
      return { types: [...new Set(cy.nodes().not('.more').map((n) => n.data('type') as string))].sort(), named: cy.nodes().not('.more').length - 1, label: badge.data('label') as string, consumers: badge.data('consumers') as number };
    });
    // Meaning first: camping's products and interests are on canvas, its 200-odd campers one aggregate.
    expect(expanded.types).toEqual(['Interest', 'Product']);
    expect(expanded.named).toBeGreaterThanOrEqual(5);
    expect(expanded.consumers).toBeGreaterThan(150);
    expect(expanded.label).toMatch(/^(\+\d+ more · )?\d+ consumers$/);
    await settled(page);
    await notLoading(page, testId('details-panel'));
    // Camping's related products read strongest first (exploration's re-ranking had put 0.172 above 0.177).
    const related = await page.$$eval(`${testId('recommendation')} .score`, (els) => els.map((e) => Number(e.textContent)));
    expect(related.length).toBeGreaterThan(1);
    expect(related).toEqual([...related].sort((a, b) => b - a));
    await shot(page, '20-demo-camping-expanded');

    // The aggregate opens the chooser, grouped by type and relation with counts; ten campers join.
    const badgeAt = await screenPos(page, 'more:Interest:camping');
    await page.mouse.click(badgeAt.x, badgeAt.y);
    await page.waitForSelector(testId('neighbour-chooser'));
    const groups = await page.$$eval(testId('chooser-group'), (els) => els.map((g) => ({ type: g.getAttribute('data-type'), relation: g.getAttribute('data-relation'), count: Number(g.getAttribute('data-count')) })));
    expect(groups.find((g) => g.type === 'Consumer' && g.relation === 'INTERESTED_IN')?.count).toBeGreaterThan(150);
    const pickLabels = await page.$$eval(`${testId('chooser-list')} .pick[data-key] .name`, (els) => els.map((e) => e.textContent ?? ''));
    expect(pickLabels.filter((l) => /^c_[A-Za-z0-9_-]{22}$/.test(l))).toEqual([]);
    await shot(page, '20b-demo-chooser-grouped');
    await page.click(testId('chooser-add'));
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.nodes('[type = "Consumer"]').length === 10, undefined, { timeout: 30_000 });
    // Campers are labelled by their segment and a short hash once the server names the segment.
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.nodes('[type = "Consumer"]').every((n) => / #[A-Za-z0-9_-]{6}(\n\d+ ids)?$/.test(n.data('label')) && !(n.data('label') as string).startsWith('Consumer ') && !(n.data('label') as string).startsWith('Person ')), undefined, { timeout: 30_000 });
    const stillBadge = await page.evaluate(() => (window as unknown as { cy: Cy }).cy.getElementById('more:Interest:camping').data('consumers') as number);
    expect(stillBadge).toBe(expanded.consumers - 10);
    await settled(page);
    await shot(page, '20c-demo-campers-labelled');

    // One of the campers the chooser brought in: click it, its recommendations load with reasons.
    const consumer = await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes('[type = "Consumer"]').first().id());
    const at = await screenPos(page, consumer);
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction((id) => document.querySelector('[data-testid="details-id"]')?.textContent === id.slice('Consumer:'.length), consumer, { timeout: 30_000 });
    // Its title is the readable label, as on canvas; the pseudonym shows once, small, below it.
    expect(await page.textContent(testId('details-title'))).toMatch(/ #[A-Za-z0-9_-]{6}$/);
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
    // Camping's badge goes with camping: hidden while camping is faded (not an empty dashed box), drawn while it is lit.
    const badges = await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes('.more').map((b) => ({
      id: b.id(), visible: b.visible() && Number(b.style('opacity')) > 0.5, nodeFaded: b.cy().getElementById(b.data('moreOf') as string).hasClass('faded'),
    })));
    expect(badges.length).toBeGreaterThan(0);
    expect(badges.filter((b) => b.visible === b.nodeFaded)).toEqual([]);
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
    // Every figure says what it means; the table downloads as CSV.
    expect(await page.getAttribute(`${testId('demand-links-view')} th[data-col="lift"]`, 'title')).toMatch(/times more often/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(testId('demand-csv'))]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
    expect(csv.split('\n')[0]).toMatch(/^source,entity,support,confidence,lift/);
    expect(csv).toContain('SUVs,Camping,');
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
    // Between two interests: routes that differ only in their consumer are one card ("N consumers"), all cards distinct.
    await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      cy.elements().remove();
    });
    await searchAndAdd(page, 'SUVs', 'Interest:suv');
    await searchAndAdd(page, 'Pour-over coffee', 'Interest:pour-over');
    await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      cy.nodes().unselect();
      cy.getElementById('Interest:suv').select();
      cy.getElementById('Interest:pour-over').select();
    });
    await page.click('.tabs [data-view="explore"]');
    await page.click('.tabs [data-view="paths"]');
    await page.waitForSelector(`${testId('paths-view')} [data-testid="path"]`, { timeout: 60_000 });
    const cards = await page.$$eval(`${testId('paths-view')} [data-testid="path"] .path-steps`, (els) => els.map((e) => e.textContent ?? ''));
    expect(new Set(cards).size).toBe(cards.length);
    expect(cards.join('\n')).not.toMatch(/c_[A-Za-z0-9_-]{22}/);
    // The canvas draws what the cards say: interests and products, each hop's consumers one
    // aggregate ("7 consumers"), no consumer on its own; all routes lit by their lines, no relation names.
    await settled(page);
    const drawn = await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      const lit = cy.edges('.highlight');
      const hops = cy.nodes('.more').map((b) => ({
        id: b.id(), consumers: b.data('consumers') as number, label: b.data('label') as string,
        ends: b.neighborhood('node').not('.more').map((n) => n.id()).sort().join(' ~ '),
      }));
      return { consumers: cy.nodes('[type = "Consumer"]').length, hops, lit: lit.length, named: lit.filter((e) => String(e.style('label') ?? '') !== '').length };
    });
    expect(drawn.consumers).toBe(0);
    expect(drawn.hops.length).toBeGreaterThan(0);
    const perHop = new Map<string, number>();
    for (const hop of drawn.hops) perHop.set(hop.ends, (perHop.get(hop.ends) ?? 0) + 1);
    expect([...perHop].filter(([, n]) => n > 1)).toEqual([]);
    for (const hop of drawn.hops) expect(hop.label).toBe(hop.consumers === 1 ? '1 consumer' : `${hop.consumers} consumers`);
    // Every "N consumers" of a card is a drawn aggregate of at least N (a hop shared by routes adds theirs up).
    const onCards = cards.flatMap((c) => [...c.matchAll(/(\d+) consumers/g)].map((m) => Number(m[1])));
    expect(onCards.length).toBeGreaterThan(0);
    for (const n of onCards) expect(drawn.hops.some((h) => h.consumers >= n), `${n} consumers`).toBe(true);
    // A card names a lone consumer once ("Consumer #KOsFuP"), not after a "Consumer" chip.
    expect(await page.$$eval(`${testId('paths-view')} .path-steps`, (els) => els.map((e) => e.textContent ?? '').filter((t) => /Consumer\s*Consumer/.test(t)))).toEqual([]);
    expect(drawn.lit).toBeGreaterThan(0);
    expect(drawn.named).toBe(0);
    // Every label readable: no two drawn labels touch, nor a label another node.
    expect(await labelClashes(page)).toEqual([]);
    await shot(page, '23b-demo-paths-interests');
    // One card lights its route; the other hops' aggregates are hidden, not empty dashed boxes.
    await page.locator(`${testId('paths-view')} [data-testid="path"]`).first().click();
    await settled(page);
    const one = await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      return { lit: cy.nodes('.highlight').length, shownFaded: cy.nodes('.more.faded').filter((b) => b.visible()).length };
    });
    expect(one.lit).toBeGreaterThanOrEqual(3);
    expect(one.shownFaded).toBe(0);
    expect(await labelClashes(page)).toEqual([]);
    // Re-running the layout (the toolbar's button) keeps the columns.
    await page.evaluate(() => (window as unknown as { explorer: { graph: { runLayout(): Promise<void> } } }).explorer.graph.runLayout());
    await settled(page);
    expect(await labelClashes(page)).toEqual([]);
    await shot(page, '23c-demo-paths-one-route');
    // An aggregate opens as elsewhere: its chooser lists the hop's consumers; the chosen join, the count drops.
    const biggest = drawn.hops.reduce((a, b) => (b.consumers > a.consumers ? b : a));
    await page.evaluate(() => {
      (window as unknown as { cy: Cy }).cy.elements().removeClass('faded highlight quiet');
      (window as unknown as { explorer: { graph: { fitNow(): void } } }).explorer.graph.fitNow();
    });
    const hopAt = await screenPos(page, biggest.id);
    await page.mouse.click(hopAt.x, hopAt.y);
    await page.waitForSelector(testId('neighbour-chooser'));
    const listed = await page.$$eval(`${testId('chooser-list')} .pick[data-key]`, (els) => els.map((e) => e.getAttribute('data-key') ?? ''));
    expect(listed).toHaveLength(biggest.consumers);
    expect(listed.every((k) => k.startsWith('Consumer:'))).toBe(true);
    await page.click(testId('chooser-add'));
    const chosen = Math.min(10, biggest.consumers);
    await page.waitForFunction((n) => (window as unknown as { cy: Cy }).cy.nodes('[type = "Consumer"]').length === n, chosen, { timeout: 30_000 });
    const after = await page.evaluate((id) => { const b = (window as unknown as { cy: Cy }).cy.getElementById(id); return b.nonempty() ? b.data('consumers') as number : 0; }, biggest.id);
    expect(after).toBe(biggest.consumers - chosen);
    // In Chinese the aggregates say so too (badges were left in English by a language switch).
    await page.click(`${testId('lang-switch')} [data-lang="zh"]`);
    const zhLabels = await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes('.more').map((b) => b.data('label') as string));
    expect(zhLabels.length).toBeGreaterThan(0);
    expect(zhLabels.filter((l) => !/^\d[\d,]* 位消费者$/.test(l))).toEqual([]);
    await settled(page);
    await shot(page, '23d-demo-paths-consumers-zh');
    await page.close();
  });

  it('Opportunities: the planted ones rank, and choosing one draws its interests and segments', async () => {
    const page = await open();
    await page.click('.tabs [data-view="opportunities"]');
    await notLoading(page, testId('opportunities-view'));
    expect(await page.$(`${testId('opportunities-view')} [data-state="error"]`)).toBeNull();
    const titles = await page.$$eval(`${testId('opportunities-view')} [data-testid="opportunity"] .opp-title`, (els) => els.map((e) => e.textContent ?? ''));
    expect(titles.length).toBeGreaterThan(0);
    // README story 3: camping with dogs, pregnancy-safe skincare, a cat-café reading club: all three
    // planted unmet needs on the first screen (the one cleanser that serves the pregnancy need
    // does not make it "served").
    const truth = JSON.parse(readFileSync(join(repoRoot, 'seeds', 'demo', 'ground-truth.json'), 'utf8')) as { opportunities: { interests: string[] }[] };
    const cards = `${testId('opportunities-view')} [data-testid="opportunity"]`;
    const onScreen = await page.$$eval(cards, (els) =>
      els.filter((c) => c.getBoundingClientRect().bottom <= window.innerHeight).map((c) => c.getAttribute('data-interests') ?? ''));
    const plantedCard = (ids: string[], planted: { interests: string[] }) => ids.findIndex((k) => planted.interests.every((i) => k.split(',').includes(`Interest:${i}`)));
    for (const planted of truth.opportunities) expect(plantedCard(onScreen, planted), planted.interests.join('+')).toBeGreaterThanOrEqual(0);
    await shot(page, '23-demo-opportunities-first-screen');
    // Plain words: no field names, no unitless gap score; English segment names in English.
    const text = await page.textContent(testId('opportunities-view'));
    expect(text).not.toMatch(/excessConsumers|zScore|adjacentInterests|servingProducts|gap \d/);
    expect(text).toMatch(/consumers · [\d.]+× as likely together as by chance/);
    expect(text).toMatch(/1 product serves it; \d+% of them bought one/);
    expect(await page.$$eval(`${cards} .closest`, (els) => els.map((x) => x.textContent ?? '').join('\n'))).not.toMatch(/\p{Script=Han}/u);
    // Unserved only: the pregnancy need (one cleanser) leaves, the two with nothing sold stay.
    await page.check(testId('opp-unserved'));
    const unserved = await page.$$eval(cards, (els) => els.map((c) => c.getAttribute('data-interests') ?? ''));
    expect(plantedCard(unserved, truth.opportunities[1]!)).toBe(-1);
    expect(plantedCard(unserved, truth.opportunities[0]!)).toBeGreaterThanOrEqual(0);
    await page.uncheck(testId('opp-unserved'));
    // Paging: the next page shows other opportunities, ranked on from 9.
    const firstPage = await page.$$eval(cards, (els) => els.map((c) => c.getAttribute('data-interests')));
    expect(firstPage).toHaveLength(8);
    await page.click(`${testId('opp-pager')} button:last-child`);
    expect(await page.textContent(`${cards} .opp-rank`)).toBe('09');
    const secondPage = await page.$$eval(cards, (els) => els.map((c) => c.getAttribute('data-interests')));
    expect(secondPage.filter((k) => firstPage.includes(k))).toEqual([]);
    await page.click(`${testId('opp-pager')} button:first-child`);
    // CSV of the list.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(testId('opp-csv'))]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('rank,interests,consumers,lift');
    expect(csv).toContain('Pregnancy + Sensitive skin');
    // Minimum consumers changes the list (server side).
    await page.fill(testId('opp-min'), '85');
    await page.click(`${testId('opportunities-view')} .form-row .btn`);
    await notLoading(page, testId('opportunities-view'));
    const counts = await page.$$eval(`${cards} .opp-line b`, (els) => els.map((b) => Number((b.textContent ?? '').replace(/[^\d]/g, ''))));
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((n) => n >= 85)).toBe(true);
    await page.fill(testId('opp-min'), '');
    await page.click(`${testId('opportunities-view')} .form-row .btn`);
    await notLoading(page, testId('opportunities-view'));
    // A card draws a clean scene: the second card's star, then the first's, and nothing of the second left over.
    await page.locator(`${testId('opportunities-view')} [data-testid="opportunity"]`).nth(1).click();
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.nodes('[type = "Opportunity"]').length === 1, undefined, { timeout: 30_000 });
    const secondHub = await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes('[type = "Opportunity"]').first().id());
    await page.locator(`${testId('opportunities-view')} [data-testid="opportunity"]`).first().click();
    await page.waitForFunction((h) => { const cy = (window as unknown as { cy: Cy }).cy; return cy.nodes('[type = "Opportunity"]').length === 1 && cy.getElementById(h).empty(); }, secondHub, { timeout: 30_000 });
    await page.waitForFunction(() => (window as unknown as { cy: Cy }).cy.nodes('[type = "Interest"]').length >= 2, undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes().filter((n) => n.degree(false) === 0).map((n) => n.id()))).toEqual([]);
    // Driving segments drawn with English names in English.
    const segmentLabels = await page.evaluate(() => (window as unknown as { cy: Cy }).cy.nodes('[type = "Segment"]').map((n) => n.data('label') as string));
    expect(segmentLabels.length).toBeGreaterThan(0);
    expect(segmentLabels.filter((l) => /\p{Script=Han}/u.test(l))).toEqual([]);
    // A star, not a tangle: closest products and driving segments each join the need's hub once.
    const star = await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      const hub = cy.nodes('[type = "Opportunity"]');
      const spokes = cy.edges('[relation = "_CLOSEST"], [relation = "_DRIVES"]');
      return { hubs: hub.length, spokes: spokes.length, offHub: spokes.filter((e) => e.target().id() !== hub.first().id()).length, products: cy.nodes('[type = "Product"]').length };
    });
    expect(star.hubs).toBe(1);
    expect(star.offHub).toBe(0);
    expect(star.spokes).toBeLessThanOrEqual(star.products + 3);
    await settled(page);
    // Every label readable: no two drawn labels (nodes' and edges') touch, nor a label another node.
    expect(await labelClashes(page)).toEqual([]);
    await shot(page, '24-demo-opportunities');
    // A second need, whose star has other spokes and labels, is as clear.
    await page.locator(`${testId('opportunities-view')} [data-testid="opportunity"]`).nth(4).click();
    await page.waitForFunction((h) => { const cy = (window as unknown as { cy: Cy }).cy; return cy.nodes('[type = "Opportunity"]').length === 1 && cy.nodes('[type = "Opportunity"]').first().id() !== h; }, secondHub, { timeout: 30_000 });
    await settled(page);
    expect(await labelClashes(page)).toEqual([]);
    // Re-running the layout (the toolbar's button) keeps the star as clear.
    await page.evaluate(() => (window as unknown as { explorer: { graph: { runLayout(): Promise<void> } } }).explorer.graph.runLayout());
    await settled(page);
    expect(await labelClashes(page)).toEqual([]);
    await shot(page, '24b-demo-opportunity-pregnancy');
    await page.close();
  });

  it('Trends: glamping rises, sortable and paged, a period-vs-period chart, CSV, in both languages', async () => {
    const page = await open();
    await page.click('.tabs [data-view="trends"]');
    await page.waitForSelector(`${testId('rising-table')} tbody tr`, { timeout: 60_000 });
    // The demo plants glamping as the rising interest (seeds/demo/ground-truth.json trends).
    expect(await page.getAttribute(`${testId('rising-table')} tbody tr:first-child`, 'data-key')).toBe('Interest:glamping');
    const first = await page.$$eval(`${testId('rising-table')} tbody tr:first-child td`, (tds) => tds.map((td) => td.textContent));
    expect(first[0]).toBe('Glamping');
    expect(first[3]).toMatch(/^\+\d+%$/);
    // Plain-words tooltips on the columns.
    expect(await page.getAttribute(`${testId('rising-table')} th[data-col="zScore"]`, 'title')).toMatch(/standard deviations/);
    // Sorting by change puts the biggest growth first.
    await page.click(`${testId('rising-table')} th[data-col="growth"]`);
    const changes = await page.$$eval(`${testId('rising-table')} tbody tr td:nth-child(4)`, (tds) => tds.map((td) => Number((td.textContent ?? '').replace(/[^\d−-]/g, '').replace('−', '-'))));
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
    await page.click(`${testId('rising-table')} th[data-col="zScore"]`);
    // A row opens its period-vs-period chart.
    await page.click(`${testId('rising-table')} tbody tr[data-key="Interest:glamping"]`);
    await page.waitForSelector(testId('trend-after'), { timeout: 30_000 });
    const before = Number(await page.getAttribute(testId('trend-before'), 'data-value'));
    const after = Number(await page.getAttribute(testId('trend-after'), 'data-value'));
    expect(after).toBeGreaterThan(before);
    expect(await page.textContent(testId('trend-change'))).toMatch(/^\+\d+%$/);
    await shot(page, '25-demo-trends');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(testId('trend-csv'))]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[1]).toMatch(/^Glamping,/);
    // Falling interests, then Chinese.
    await page.click(testId('trend-falling'));
    await page.waitForSelector(`${testId('rising-table')} tbody tr`, { timeout: 60_000 });
    expect(await page.$$eval(`${testId('rising-table')} tbody tr td:nth-child(4)`, (tds) => tds.some((td) => (td.textContent ?? '').startsWith('+')))).toBe(false);
    await page.click(testId('trend-rising'));
    await page.waitForSelector(`${testId('rising-table')} tbody tr[data-key="Interest:glamping"]`, { timeout: 60_000 });
    await page.click(`${testId('lang-switch')} [data-lang="zh"]`);
    expect(await page.textContent(`${testId('rising-table')} tbody tr:first-child td`)).toBe('精致露营');
    expect(await page.textContent(testId('trends-view'))).toMatch(/正在上升的兴趣/);
    await shot(page, '26-demo-trends-zh');
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
