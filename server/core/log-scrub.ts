/**
 * What may go into a log line from text we do not write ourselves (GraphQL, Yoga and Neo4j
 * messages): no literal a caller sent. Those messages quote values (`got invalid value
 * "u123"`, Neo4j's `property id = 'u123'`) and GraphQL appends the request's source excerpt,
 * which holds inline arguments; a raw consumer id reached the logs both ways (issue 17,
 * finding 8). Quoted literals become "…" (a `$variable` name stays), the excerpt is cut.
 */
export function scrubLogText(text: string): string {
  const cut = text.indexOf('\n\nGraphQL request:');
  const head = cut >= 0 ? text.slice(0, cut) : text;
  return head
    .replace(/"(?:[^"\\\n]|\\.)*"/g, (m) => (/^"\$[A-Za-z_][A-Za-z0-9_]*"$/.test(m) ? m : '"…"'))
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "'…'");
}

/** An error as a log field: type, code and scrubbed message and stack (pino's `err` shape). */
export function scrubbedError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: scrubLogText(String(error)) };
  let inner: unknown = error;
  while (inner instanceof Error && (inner as { originalError?: unknown }).originalError instanceof Error) inner = (inner as unknown as { originalError: Error }).originalError;
  const e = inner as Error & { code?: unknown };
  return {
    type: e.name,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    message: scrubLogText(e.message),
    stack: e.stack ? scrubLogText(e.stack) : undefined,
  };
}
