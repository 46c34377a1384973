/* The bulk path's own Cypher (the rest it shares with the online writer: ../queries.ts). */

/** What makes a database "not empty" for the offline importer: any entity or relationship. */
export const BULK_GRAPH_CONTENTS = `
CALL () { MATCH (n) WHERE NOT n:KgMeta RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships`;
