/**
 * Empties the evaluation's own throw-away database between runs: relationships first, in small
 * batches (a product's many relationships make DETACH DELETE heavy), then nodes.
 */
export const CLEAR_GRAPH = [
  'MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 2000 ROWS',
  'MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 2000 ROWS',
];
