import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL's page with every asset inlined (@graphql-yoga/render-graphiql: editor, styles and
 * Monaco workers in one HTML document), so `GET /graphql` works behind a firewall: Yoga's
 * default page loads its scripts from a CDN and stays blank offline. The 9 MB bundle is imported
 * on the first GraphiQL request only (never in production, where GraphiQL is off) and the page
 * is rendered once per set of options.
 */
export function offlineGraphiQL(): (options: GraphiQLOptions) => Promise<string> {
  const pages = new Map<string, Promise<string>>();
  return (options) => {
    const key = JSON.stringify(options ?? {});
    let page = pages.get(key);
    if (!page) {
      page = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
      // A failed import is not cached, so the next request tries again.
      page.catch(() => pages.delete(key));
      pages.set(key, page);
    }
    return page;
  };
}
