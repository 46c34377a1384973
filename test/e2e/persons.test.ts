import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { GroundTruth } from '../../seeds/generator/ground-truth.js';
import { repoRoot } from '../../server/config.js';
import { createDriver, Database } from '../../server/db/neo4j.js';
import { refreshDerived } from '../../server/domains.js';
import { applySchema } from '../../server/graph/setup.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { seedIfEmpty } from '../../server/ingest/seed.js';
import { startThrowawayNeo4j } from '../../server/local-neo4j/throwaway.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { encodeScene, sceneDefaults } from '../../web/src/graph/scene.js';
import { testConfig } from '../support/neo4j.js';
import { openExplorer, searchAndAdd, serveApp, settled, shot, testId, useExplorerBrowser } from './browser.js';

// Issue 18's demo story in the browser, on the demo seeds (their 400 three-id persons): a
// stitched person is one node with "3 ids", and the audience builder of a product and an
// interest shows size and lift (service callers also the pseudonymous list and its CSV;
// readers the figures only). The seeds get a throw-away Neo4j of their own, as in demo-seeds.

/** Identity and audiences are on the server (their SDL is in the tree): until then there is nothing to test. */

const secret = testConfig().pseudonymSecret;
const demo = join(repoRoot, 'seeds', 'demo');
const truth = JSON.parse(readFileSync(join(demo, 'ground-truth.json'), 'utf8')) as GroundTruth;
const scratch = mkdtempSync(join(tmpdir(), 'kg-e2e-persons-'));
const committedShots = join(repoRoot, 'web', 'screenshots');

type Cy = import('cytoscape').Core;

const maybeEnv = useExplorerBrowser({
  database: async () => {
    const neo = await startThrowawayNeo4j({ prefix: 'kg-e2e-persons-neo4j-', heap: '768m', pagecache: '256m' });
    const db = new Database(createDriver({ uri: neo.running.uri, user: neo.running.user, password: neo.running.password, database: 'neo4j', queryTimeoutMs: 120_000 }), 'neo4j', 120_000);
    return { db, stop: async () => { await neo.stop(); rmSync(scratch, { recursive: true, force: true }); } };
  },
  seed: async (db) => {
    await applySchema(db, coreVocabulary);
    const seeded = await seedIfEmpty(db, coreVocabulary, demo, { pseudonymSecret: secret, rejectsFile: join(scratch, 'rejects.csv'), refresh: refreshDerived });
    expect(seeded.summary?.rejected ?? 0).toBe(0);
  },
  setupTimeoutMs: 900_000,
});
const env = {
  get db() { return maybeEnv!.db; },
  get browser() { return maybeEnv!.browser; },
  open: (path?: string) => maybeEnv!.open(path),
};

/** Saves a screenshot under test-results/e2e and, as the README shows it, under web/screenshots. */
async function keepShot(page: Page, name: string): Promise<void> {
  await shot(page, name);
  mkdirSync(committedShots, { recursive: true });
  copyFileSync(join(repoRoot, 'test-results', 'e2e', `${name}.png`), join(committedShots, `${name}.png`));
}

/** A person of the ground truth linked by both SAME_AS and a phone, and every row of its three ids. */
function demoPerson() {
  const person = truth.persons!.multiId.find((p) => p.linkedBy === 'both')!;
  const rows = readFileSync(join(demo, 'triples.csv'), 'utf8').split('\n').slice(1).map((l) => l.split(','))
    .filter((r) => person.ids.includes(r[0]!) && r[2] !== 'SAME_AS' && r[4] !== 'Consumer');
  return { person, rows };
}

describe('one person under three ids, and audiences, in the explorer', () => {
  it('draws a stitched person as one node with "3 ids", holding what each of its ids did', async () => {
    const { person, rows } = demoPerson();
    const keys = person.ids.map((raw) => `Consumer:${pseudonymize(secret, raw)}`);
    // A few rows of each id: the scene a CRM link to this customer opens.
    const chosen = person.ids.flatMap((raw) => rows.filter((r) => r[0] === raw).slice(0, 3));
    const items = [...new Set(chosen.map((r) => `${r[4]}:${r[3]}`))];
    const nodes = [...keys, ...items];
    const edges = chosen.map((r): [number, number, string, number] => [person.ids.indexOf(r[0]!), nodes.indexOf(`${r[4]}:${r[3]}`), r[2]!, Number(r[5])]);
    const hash = encodeScene({ ...sceneDefaults, nodes, edges });
    const page = await env.open(`/#${hash}`);
    await page.waitForFunction((n) => (window as unknown as { cy: Cy }).cy.nodes().length === n, items.length + 1, { timeout: 60_000 });
    const drawn = await page.evaluate(() => {
      const cy = (window as unknown as { cy: Cy }).cy;
      const c = cy.nodes('[type = "Consumer"]');
      return {
        consumers: c.length,
        label: c.first().data('label') as string,
        person: c.first().data('person') as string,
        personKeys: c.first().data('personKeys') as string[],
        id: c.first().id(),
        lonely: cy.nodes().filter((n) => n.degree(false) === 0).map((n) => n.id()),
      };
    });
    console.log(`[persons e2e] ${person.id} (${person.ids.join(', ')}) drawn as one node: "${drawn.label.replace('\n', ' / ')}", ${items.length} things its ids did`);
    expect(drawn.consumers).toBe(1);
    expect(drawn.label).toMatch(/^.+ #[A-Za-z0-9_-]{6}\n3 ids$/);
    // The person id: "p_" and the 22 characters of its smallest consumer pseudonym (spec).
    const smallest = keys.map((k) => k.slice('Consumer:'.length)).sort()[0]!;
    expect(drawn.person).toBe(`p_${smallest.slice(2)}`);
    expect([...drawn.personKeys].sort()).toEqual([...keys].sort());
    // Every product and interest of all three ids hangs on that one node.
    expect(drawn.lonely).toEqual([]);
    // Positions hold only once the layout is over.
    await settled(page);
    const at = await page.evaluate((id) => {
      const cy = (window as unknown as { cy: Cy }).cy;
      const p = cy.getElementById(id).renderedPosition();
      const box = cy.container()!.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    }, drawn.id);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector(testId('details-person'));
    expect(await page.textContent(testId('details-person'))).toBe(`${drawn.person} · 3 ids`);
    // The whole person's recommendations, loaded before the picture is taken.
    await page.waitForFunction(() => !document.querySelector('[data-testid="details-panel"] [data-state="loading"], [data-testid="details-panel"] .skeleton'), undefined, { timeout: 60_000 });
    await settled(page);
    await keepShot(page, 'person-three-ids');
    await page.close();
  });

  it('builds an audience for a product: size and lift, the pseudonymous list and its CSV', async () => {
    const page = await env.open();
    await searchAndAdd(page, 'Portable pour-over', 'Product:coffee-15', 30_000);
    await page.waitForSelector(testId('audience-panel'), { timeout: 30_000 });
    await page.fill(testId('audience-size'), '100');
    await page.click(testId('audience-build'));
    await page.waitForSelector(testId('audience-summary'), { timeout: 60_000 });
    const summary = (await page.textContent(testId('audience-summary')))!;
    console.log(`[persons e2e] audience of coffee-15: ${summary}`);
    const m = /^(\d[\d,]*) persons · ([\d.]+)× the base rate$/.exec(summary);
    expect(m, summary).not.toBeNull();
    expect(Number(m![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(Number(m![2])).toBeGreaterThan(1);
    expect(await page.textContent(`${testId('audience-report')} [data-field="lift"]`)).toMatch(/^[\d.]+×$/);
    const listed = await page.$$eval(`${testId('audience-members')} li`, (els) => els.map((e) => e.getAttribute('data-person') ?? ''));
    expect(listed.length).toBeGreaterThan(0);
    for (const p of listed) expect(p).toMatch(/^p_[A-Za-z0-9_-]{22}$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(testId('audience-csv'))]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('rank,person,score,reason');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d+,p_[A-Za-z0-9_-]{22},[\d.e-]+,/);
    // Pseudonymous persons only: no consumer pseudonym, no raw id of the files.
    expect(csv).not.toMatch(/\bc_[A-Za-z0-9_-]{22}\b|\bu\d{6}\b|\bwx_|\bvip\d/);
    expect(lines[1]!.split(',')[1]).toBe(listed[0]);
    expect(await page.textContent(testId('audience-target'))).toBe('Portable pour-over coffee kit');
    await settled(page);
    await keepShot(page, 'audience-builder');
    await page.close();
  });

  it('builds an audience for anything under an interest', async () => {
    const page = await env.open();
    await searchAndAdd(page, 'Camping', 'Interest:camping', 30_000);
    await page.waitForSelector(testId('audience-under'), { timeout: 30_000 });
    await page.check(testId('audience-under'));
    await page.click(testId('audience-build'));
    await page.waitForSelector(testId('audience-summary'), { timeout: 60_000 });
    const under = (await page.textContent(testId('audience-summary')))!;
    console.log(`[persons e2e] audience under camping: ${under}`);
    expect(under).toMatch(/^\d[\d,]* persons · [\d.]+× the base rate$/);
    expect(await page.$$eval(`${testId('audience-members')} li`, (els) => els.length)).toBeGreaterThan(0);
    await page.close();
  });

  it('shows a reader the figures only: no list, no CSV', async () => {
    const reader = await serveApp(env.db, { api: { localAnonymousRole: 'reader' } });
    try {
      const page = await openExplorer(env.browser, reader.url + '/');
      await searchAndAdd(page, 'Portable pour-over', 'Product:coffee-15', 30_000);
      await page.waitForSelector(testId('audience-panel'), { timeout: 30_000 });
      await page.click(testId('audience-build'));
      await page.waitForSelector(testId('audience-summary'), { timeout: 60_000 });
      expect(await page.textContent(testId('audience-summary'))).toMatch(/× the base rate$/);
      await page.waitForSelector(testId('audience-reader-note'));
      expect(await page.$(testId('audience-members'))).toBeNull();
      expect(await page.$(testId('audience-csv'))).toBeNull();
      // Nor did it ask for one: no key prompt came up for a refused list.
      expect(await page.$(testId('api-key-input'))).toBeNull();
      await page.close();
    } finally {
      await reader.close();
    }
  });
});
