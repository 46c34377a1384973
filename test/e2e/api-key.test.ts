import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysForEveryRole } from '../support/role-matrix.js';
import { testDatabase } from '../support/neo4j.js';
import { ensureWebBuilt, launchChromium, serveApp, shot, testId } from './browser.js';

// The page-level API key (issue 15): a server with a keys file refuses every keyless request
// (UNAUTHENTICATED). A person opening the explorer there is asked for a key once, at page level;
// a wrong key is said so in the prompt; a good one is kept in this tab's session storage, sent as
// Bearer, and the top bar says "Signed in as <role>" with a "Change key" control. The local
// default (no keys file) asks nothing and shows no key control.

const db = testDatabase();
const { keysFile, keys } = keysForEveryRole();
let keyed: Awaited<ReturnType<typeof serveApp>>;
let local: Awaited<ReturnType<typeof serveApp>>;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuilt();
  keyed = await serveApp(db, { apiKeysFile: keysFile });
  local = await serveApp(db);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await keyed?.close();
  await local?.close();
  await db.close();
});

const ready = async (page: Page) => {
  await page.waitForFunction(() => (window as unknown as { explorer?: unknown }).explorer !== undefined);
  await page.evaluate(() => (window as unknown as { explorer: { ready: Promise<void> } }).explorer.ready);
};

/** A fresh profile (its own session storage), at `url`; every request's Authorization header is recorded. */
async function openFresh(url: string): Promise<{ context: BrowserContext; page: Page; sent: (string | null)[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const sent: (string | null)[] = [];
  page.on('request', (r) => { if (r.url().endsWith('/graphql') && r.method() === 'POST') sent.push(r.headers()['authorization'] ?? null); });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(url);
  await ready(page);
  return { context, page, sent };
}

describe('the API key, asked at page level', () => {
  it('on a server with keys: asks once, says a wrong key is wrong, signs in with a good one and shows its role', { timeout: 180_000 }, async () => {
    const { context, page, sent } = await openFresh(keyed.url);
    // Asked at once, at page level (not inside a panel), without a key sent.
    await page.waitForSelector(`${testId('api-key-prompt')}[data-why="needs-key"]`);
    expect(sent.every((h) => h === null)).toBe(true);
    expect(await page.textContent(testId('api-key-prompt'))).toContain('This server needs an API key');
    await shot(page, '33-api-key-prompt');
    // A wrong key: the prompt says so and stays; nothing is kept.
    await page.fill(testId('api-key-input'), 'kg_not-a-key');
    await page.click(testId('api-key-submit'));
    await page.waitForSelector(`${testId('api-key-error')}:not([hidden])`);
    expect(await page.textContent(testId('api-key-error'))).toContain('not valid');
    expect(await page.evaluate(() => sessionStorage.getItem('kg-explorer.api-key'))).toBeNull();
    // Not now: the prompt closes and does not come back on its own; the top bar offers "Sign in".
    await page.click(testId('api-key-cancel'));
    expect(await page.locator(testId('api-key-prompt')).count()).toBe(0);
    await page.fill(testId('search-input'), 'camp');
    await page.waitForTimeout(800);
    expect(await page.locator(testId('api-key-prompt')).count()).toBe(0);
    expect(await page.getAttribute(testId('api-key-status'), 'data-state')).toBe('needs-key');
    // Signing in from the top bar: the page starts again with the key, sent as Bearer on every request.
    await page.click(testId('change-api-key'));
    await page.fill(testId('api-key-input'), keys.reader);
    sent.length = 0;
    await Promise.all([page.waitForEvent('load'), page.click(testId('api-key-submit'))]);
    await ready(page);
    await page.waitForSelector(`${testId('api-key-status')}[data-state="signed-in"]`);
    expect(await page.textContent(testId('api-key-role'))).toBe('Signed in as reader');
    expect(await page.getAttribute(testId('api-key-status'), 'title')).toContain('dashboard');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((h) => h === `Bearer ${keys.reader}`)).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('kg-explorer.api-key'))).toBe(keys.reader);
    expect(await page.locator(testId('api-key-prompt')).count()).toBe(0);
    // The graph answers now: stats in the empty state, search results.
    await page.fill(testId('search-input'), 'a');
    await page.waitForSelector(`${testId('search-results')} [data-key], ${testId('search-results')} .result-empty`, { timeout: 15_000 });
    expect(await page.$(`${testId('search-results')} [data-state="error"]`)).toBeNull();
    await page.keyboard.press('Escape');
    await shot(page, '34-api-key-signed-in');
    // Change key: another role, shown at once after the reload.
    await page.click(testId('change-api-key'));
    await page.waitForSelector(`${testId('api-key-prompt')}[data-why="change"]`);
    await page.fill(testId('api-key-input'), keys.service);
    await Promise.all([page.waitForEvent('load'), page.press(testId('api-key-input'), 'Enter')]);
    await ready(page);
    await page.waitForSelector(`${testId('api-key-status')}[data-state="signed-in"]`);
    expect(await page.textContent(testId('api-key-role'))).toBe('Signed in as service');
    // Sign out: the key is forgotten and the page asks again.
    await page.click(testId('change-api-key'));
    await Promise.all([page.waitForEvent('load'), page.click(testId('api-key-forget'))]);
    await ready(page);
    expect(await page.evaluate(() => sessionStorage.getItem('kg-explorer.api-key'))).toBeNull();
    await page.waitForSelector(`${testId('api-key-prompt')}[data-why="needs-key"]`);
    await context.close();
  });

  it('in Chinese, the prompt and the role line are in Chinese', { timeout: 120_000 }, async () => {
    const { context, page } = await openFresh(keyed.url);
    await page.waitForSelector(testId('api-key-prompt'));
    await page.click(testId('api-key-cancel'));
    await page.click(`${testId('lang-switch')} [data-lang="zh"]`);
    await page.click(testId('change-api-key'));
    expect(await page.textContent(testId('api-key-prompt'))).toContain('此服务器需要 API 密钥');
    await page.fill(testId('api-key-input'), keys.admin);
    await Promise.all([page.waitForEvent('load'), page.click(testId('api-key-submit'))]);
    await ready(page);
    await page.click(`${testId('lang-switch')} [data-lang="zh"]`);
    await page.waitForSelector(`${testId('api-key-status')}[data-state="signed-in"]`);
    expect(await page.textContent(testId('api-key-role'))).toBe('已登录：admin');
    await context.close();
  });

  it('on the local default (no keys file): asks nothing and shows no key control', { timeout: 120_000 }, async () => {
    const { context, page, sent } = await openFresh(local.url);
    await page.fill(testId('search-input'), 'a');
    await page.waitForTimeout(1000);
    expect(await page.locator(testId('api-key-prompt')).count()).toBe(0);
    expect(await page.isVisible(testId('api-key-status'))).toBe(false);
    expect(sent.every((h) => h === null)).toBe(true);
    await context.close();
  });
});
