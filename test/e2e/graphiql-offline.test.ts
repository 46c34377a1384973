import { describe, expect, it } from 'vitest';
import { shot, useExplorerBrowser } from './browser.js';

// GraphiQL at GET /graphql with the way out of the machine blocked: every asset must come from
// our own server (server/http/graphiql.ts), or the page stays blank behind a firewall.

const env = useExplorerBrowser();

describe('GraphiQL offline', () => {
  it('serves a page that loads no script, style or font from elsewhere', async () => {
    const res = await fetch(`${env.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/Knowledge-graph insight explorer/);
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/i);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdn\./i);
  });

  it('renders the editor and runs a query with the outside network blocked', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const own = new URL(env.url).host;
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.host === own) return route.continue();
      outside.push(url.href);
      return route.abort('internetdisconnected');
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env.url}/graphql?query=${encodeURIComponent('{ stats { nodeCount byType { name count } } }')}`);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor')?.textContent?.includes('nodeCount'), undefined, { timeout: 30_000 });
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('"nodeCount"'), undefined, { timeout: 30_000 });
    const response = await page.textContent('.graphiql-response');
    expect(response).toMatch(/"nodeCount":\s*\d+/);
    await shot(page, '60-graphiql-offline');
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
