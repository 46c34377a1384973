/**
 * What a person types and the entity they mean, on the demo seeds (seeds/demo): the search
 * acceptance table. English and Chinese names, prefixes, ids, typos, words out of order.
 * `none` lists keys (or key prefixes) that must not be among the first five answers.
 */
export interface SearchCase {
  query: string;
  top: string;
  none?: string[];
}

export const searchTable: SearchCase[] = [
  // Exact names, English and Chinese: the entity itself, before everything that contains the word.
  { query: 'camping', top: 'Interest:camping', none: ['Interest:gaming-gear', 'Product:games-'] },
  { query: '露营', top: 'Interest:camping' },
  { query: 'SUV', top: 'Interest:suv', none: ['Interest:sunscreen'] },
  { query: 'SUVs', top: 'Interest:suv' },
  { query: 'pour-over', top: 'Interest:pour-over', none: ['Product:home-22', 'Product:outdoor-01'] },
  { query: 'Pour over', top: 'Interest:pour-over' },
  { query: '手冲咖啡', top: 'Interest:pour-over' },
  { query: 'cat', top: 'Interest:cat', none: ['Consumer:'] },
  { query: '猫', top: 'Interest:cat' },
  { query: 'coffee', top: 'Interest:coffee' },
  { query: '咖啡', top: 'Interest:coffee' },
  { query: 'glamping', top: 'Interest:glamping', none: ['Interest:gaming-gear'] },
  { query: '精致露营', top: 'Interest:glamping' },
  { query: 'Sensitive skin', top: 'Interest:sensitive-skin' },
  { query: '敏感肌', top: 'Interest:sensitive-skin' },
  { query: 'pregnancy', top: 'Interest:pregnancy' },
  { query: '孕期', top: 'Interest:pregnancy' },
  { query: 'coffee beans', top: 'Interest:coffee-beans' },
  // Prefixes: the shortest, best-known name that starts so.
  { query: 'camp', top: 'Interest:camping' },
  { query: 'glampin', top: 'Interest:glamping' },
  // Products by a word of their name, English and Chinese.
  { query: 'Yirgacheffe', top: 'Product:coffee-02' },
  { query: 'lantern', top: 'Product:outdoor-08' },
  { query: '营地灯', top: 'Product:outdoor-08' },
  { query: '猫粮', top: 'Product:pets-01' },
  { query: 'tent', top: 'Product:outdoor-01' },
  // Typos: fuzzy only when nothing matches better, closest spelling first.
  { query: 'cofee', top: 'Interest:coffee' },
  { query: 'campng', top: 'Interest:camping' },
  { query: 'lanten', top: 'Product:outdoor-08' },
  // An id as loaded.
  { query: 'outdoor-08', top: 'Product:outdoor-08' },
];
