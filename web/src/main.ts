// Minimal landing page until the explorer lands: database health and graph counts.
interface TypeCount {
  name: string;
  count: number;
}

async function render(): Promise<void> {
  const health = document.querySelector<HTMLElement>('#health')!;
  const table = document.querySelector<HTMLTableElement>('#stats')!;
  try {
    const h = await fetch('/health');
    health.textContent = h.ok ? 'Neo4j is up.' : 'Neo4j is down; retrying…';
    const r = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stats { nodeCount relationshipCount byType { name count } byRelation { name count } } }' }),
    });
    const body = (await r.json()) as { data?: { stats: { nodeCount: number; relationshipCount: number; byType: TypeCount[]; byRelation: TypeCount[] } } };
    const s = body.data?.stats;
    if (s) {
      const rows = [['nodes', s.nodeCount], ['relationships', s.relationshipCount], ...s.byType.map((t) => [t.name, t.count]), ...s.byRelation.map((t) => [t.name, t.count])];
      table.replaceChildren(
        ...rows.map(([name, count]) => {
          const tr = document.createElement('tr');
          for (const v of [name, count]) {
            const td = document.createElement('td');
            td.textContent = String(v);
            tr.append(td);
          }
          return tr;
        }),
      );
    }
  } catch {
    health.textContent = 'The API does not answer; retrying…';
  }
  if (!health.textContent?.startsWith('Neo4j is up')) setTimeout(render, 3000);
}

void render();
