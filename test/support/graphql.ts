import type { App } from '../../server/app.js';

export interface GraphQLBody<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: unknown[] }[];
}

/** POSTs a GraphQL request to `app` through `app.fetch` and returns the status and parsed body. */
export async function gql<T = Record<string, any>>(
  app: App,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLBody<T>; headers: Headers }> {
  const res = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLBody<T>, headers: res.headers };
}

/** The codes of a response's errors. */
export const codes = (body: GraphQLBody) => (body.errors ?? []).map((e) => e.extensions?.code);
