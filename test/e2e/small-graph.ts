import { refreshDerived } from '../../server/domains.js';
import type { Database } from '../../server/db/neo4j.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testConfig, testNamespace } from '../support/neo4j.js';

// The browser tests' own small graph on the shared test Neo4j: Chinese and English names, a
// supernode interest with 30 consumers (more than the expand cap).
// Demand: all 15 SUV buyers love camping (lift 40/30 ≈ 1.33); half the 20 kettle buyers do (lift 0.67).

export interface SmallGraph {
  ns: string;
  /** Pseudonymised consumer ids, u0 … u39. */
  consumers: string[];
  camping: string;
  suv: string;
  kettle: string;
  /** Removes exactly this graph's entities. */
  remove: () => Promise<void>;
}

/** Writes the small graph under a fresh namespace and refreshes derived values, as after `npm run load`. */
export async function seedSmallGraph(db: Database, name: string): Promise<SmallGraph> {
  const ns = testNamespace(name);
  const secret = testConfig().pseudonymSecret;
  const consumers = Array.from({ length: 40 }, (_, i) => pseudonymize(secret, `${ns}-u${i}`));
  await db.write('e2e-seed', `
    UNWIND $interests AS i CREATE (:Entity:Interest {id: i.id, key: 'Interest:' + i.id, name: i.zh, name_en: i.en})
    WITH count(*) AS _
    UNWIND $products AS p CREATE (:Entity:Product {id: p.id, key: 'Product:' + p.id, name: p.zh, name_en: p.en, price: p.price})
    WITH count(*) AS _
    UNWIND range(0, size($consumers) - 1) AS i
    CREATE (c:Entity:Consumer {id: $consumers[i], key: 'Consumer:' + $consumers[i], name: $consumers[i]})
    WITH c, i
    MATCH (camp:Interest {id: $ns + '-camping'}), (coffee:Interest {id: $ns + '-coffee'}), (suv:Product {id: $ns + '-suv'}), (kettle:Product {id: $ns + '-kettle'})
    FOREACH (_ IN CASE WHEN i < 30 THEN [1] ELSE [] END | CREATE (c)-[:INTERESTED_IN {weight: toFloat(i + 1), count: 1}]->(camp))
    FOREACH (_ IN CASE WHEN i < 20 THEN [1] ELSE [] END | CREATE (c)-[:INTERESTED_IN {weight: 1.0, count: 1}]->(coffee))
    FOREACH (_ IN CASE WHEN i < 15 THEN [1] ELSE [] END | CREATE (c)-[:PURCHASED {weight: 4.0, count: 1}]->(suv))
    FOREACH (_ IN CASE WHEN i >= 20 THEN [1] ELSE [] END | CREATE (c)-[:PURCHASED {weight: 2.0, count: 1}]->(kettle))
  `, {
    ns,
    consumers,
    interests: [
      { id: `${ns}-camping`, zh: '萤火虫露营', en: 'Firefly camping' },
      { id: `${ns}-coffee`, zh: '手冲咖啡', en: 'Pour-over coffee' },
      { id: `${ns}-offroad`, zh: '越野自驾', en: 'Off-road driving' },
    ],
    products: [
      { id: `${ns}-suv`, zh: '萤火虫城市SUV', en: 'Firefly City SUV', price: 189000 },
      { id: `${ns}-kettle`, zh: '户外咖啡壶', en: 'Outdoor coffee kettle', price: 299 },
      { id: `${ns}-tent`, zh: '四人帐篷', en: 'Four-person tent', price: 899 },
    ],
  });
  await db.write('e2e-seed-products', `
    MATCH (suv:Product {id: $ns + '-suv'}), (kettle:Product {id: $ns + '-kettle'}), (tent:Product {id: $ns + '-tent'}),
          (camp:Interest {id: $ns + '-camping'}), (coffee:Interest {id: $ns + '-coffee'}), (off:Interest {id: $ns + '-offroad'})
    CREATE (suv)-[:RELATES_TO {weight: 1.0, count: 1}]->(off), (tent)-[:RELATES_TO {weight: 1.0, count: 1}]->(camp),
           (kettle)-[:RELATES_TO {weight: 1.0, count: 1}]->(coffee), (off)-[:SUBTOPIC_OF {weight: 1.0, count: 1}]->(camp)`, { ns });
  await refreshDerived(db, coreVocabulary);
  return {
    ns, consumers, camping: `${ns}-camping`, suv: `${ns}-suv`, kettle: `${ns}-kettle`,
    remove: async () => { await db.write('e2e-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns OR n.id IN $consumers DETACH DELETE n', { ns, consumers }); },
  };
}
