/** One GraphQL POST to a loopback URL; returns the `data` and the wall time in ms. Throws on any error or after `timeoutMs`. */
export async function graphqlPost<T>(url: string, query: string, variables: Record<string, unknown>, timeoutMs = 30_000): Promise<{ data: T; ms: number }> {
  const t0 = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(timeoutMs) });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  const ms = performance.now() - t0;
  if (!response.ok || body.errors?.length || !body.data) {
    throw new Error(`GraphQL ${response.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  }
  return { data: body.data, ms };
}
