import { describe, expect, it } from 'vitest';
import { capabilitiesFrom, contractCapabilities } from '../../web/src/api/capabilities.js';
import { ENTITY, neighborhoodQuery, recommendQuery, searchQuery, withServerEntityFields } from '../../web/src/api/queries.js';
import { apiEdgeToElement, entityToNode, rankNeighbours, readableLabel, subgraphToElements } from '../../web/src/graph/elements.js';
import { idsText, isStitched, personHash, personLabel } from '../../web/src/graph/person-label.js';
import { combinePersonNeighbourhoods, mergePersons, samePersonKeys } from '../../web/src/graph/persons.js';
import type { ApiEntity, GraphElement, NodeElement } from '../../web/src/graph/types.js';

const P = 'p_AbCdEf0123456789xyzXYZ';
const consumer = (id: string, person: string | null, personIds: number | null): ApiEntity =>
  ({ key: `Consumer:${id}`, id, type: 'Consumer', name: id, nameEn: null, properties: null, person, personIds });
const crm = consumer('c_AAAAAAAAAAAAAAAAAAAAAA', P, 3);
const social = consumer('c_BBBBBBBBBBBBBBBBBBBBBB', P, 3);
const loyalty = consumer('c_CCCCCCCCCCCCCCCCCCCCCC', P, 3);
const single = consumer('c_DDDDDDDDDDDDDDDDDDDDDD', 'p_DDDDDDDDDDDDDDDDDDDDDD', 1);
const camping: ApiEntity = { key: 'Interest:camping', id: 'camping', type: 'Interest', name: '露营', nameEn: 'Camping', properties: null };
const kit: ApiEntity = { key: 'Product:coffee-15', id: 'coffee-15', type: 'Product', name: '便携手冲咖啡套装', nameEn: 'Portable pour-over kit', properties: null };
const edge = (s: ApiEntity, relation: string, t: ApiEntity, weight = 1) => apiEdgeToElement({ source: s.key, target: t.key, relation, weight });
const nodes = (els: GraphElement[]) => els.filter((e): e is NodeElement => e.group === 'nodes');

describe('a stitched person on canvas', () => {
  it('is labelled by its person with "3 ids" under it, in both languages', () => {
    expect(isStitched(crm)).toBe(true);
    expect(isStitched(single)).toBe(false);
    expect(isStitched({ ...camping, person: P, personIds: 3 })).toBe(false);
    const n = entityToNode(crm, 'en');
    expect(n.data.label).toBe(`Person ${personHash(P)}\n3 ids`);
    expect(n.data.label).toBe(`${personLabel(P, 'en')}\n${idsText(3, 'en')}`);
    expect(n.data.label).not.toContain(crm.id.slice(2, 8));
    expect(n.classes).toBe('person');
    expect(n.data.person).toBe(P);
    expect(entityToNode(crm, 'zh').data.label).toBe('消费者 #AbCdEf\n3 个身份');
    // With its segment's name, as consumer labels get once the server names segments.
    expect(readableLabel(crm, 'en', 'Camping')).toBe('Camping #AbCdEf');
  });

  it('leaves a single-id consumer and every consumer of a server without identity as it was', () => {
    for (const c of [single, consumer('c_EEEEEEEEEEEEEEEEEEEEEE', null, null), { ...crm, person: undefined, personIds: undefined }]) {
      const n = entityToNode(c, 'en');
      expect(n.data.label).toBe(`Consumer #${c.id.slice(2, 8)}`);
      expect(n.classes).toBeUndefined();
    }
  });

  it('draws the ids of one person as one node, its edges re-pointed and joined', () => {
    const els = subgraphToElements({
      nodes: [crm, social, loyalty, single, camping, kit],
      edges: [
        { source: crm.key, target: kit.key, relation: 'PURCHASED', weight: 2 },
        { source: loyalty.key, target: kit.key, relation: 'PURCHASED', weight: 1 },
        { source: social.key, target: camping.key, relation: 'INTERESTED_IN', weight: 1 },
        { source: crm.key, target: social.key, relation: 'SAME_AS', weight: 1 },
        { source: single.key, target: kit.key, relation: 'VIEWED', weight: 1 },
      ],
    }, 'en');
    const { elements, alias } = mergePersons(els);
    const people = nodes(elements).filter((n) => n.data.type === 'Consumer');
    expect(people.map((n) => n.data.id)).toEqual([crm.key, single.key]);
    expect(people[0]!.data.personKeys).toEqual([crm.key, social.key, loyalty.key]);
    expect([...alias]).toEqual([[social.key, crm.key], [loyalty.key, crm.key]]);
    const edges = elements.filter((e) => e.group === 'edges').map((e) => `${e.data.source} ${e.data.relation} ${e.data.target} ${e.data.weight}`);
    // Two ids bought the kit: one edge of weight 3; SAME_AS inside the person is gone.
    expect(edges.sort()).toEqual([
      `${crm.key} INTERESTED_IN ${camping.key} 1`,
      `${crm.key} PURCHASED ${kit.key} 3`,
      `${single.key} VIEWED ${kit.key} 1`,
    ].sort());
    for (const e of elements) if (e.group === 'edges') expect(e.data.id).toBe(`${e.data.source}|${e.data.relation}|${e.data.target}`);
  });

  it('folds an id into the node already drawn for its person, and re-points edges by earlier merges', () => {
    const later = [entityToNode(loyalty, 'en'), entityToNode(kit, 'en'), edge(loyalty, 'PURCHASED', kit), edge(social, 'VIEWED', kit)];
    const { elements, alias } = mergePersons(later, (p) => (p === P ? crm.key : undefined), new Map([[social.key, crm.key]]));
    expect(nodes(elements).map((n) => n.data.id)).toEqual([kit.key]);
    expect(alias.get(loyalty.key)).toBe(crm.key);
    expect(elements.filter((e) => e.group === 'edges').map((e) => e.data.id).sort()).toEqual([`${crm.key}|PURCHASED|${kit.key}`, `${crm.key}|VIEWED|${kit.key}`]);
  });

  it('changes nothing in a scene without stitched persons', () => {
    const els = [entityToNode(single, 'en'), entityToNode(kit, 'en'), edge(single, 'VIEWED', kit)];
    expect(mergePersons(els).elements).toEqual(els);
  });
});

describe('person fields in queries', () => {
  const schema = (entityFields: string[]) => capabilitiesFrom({
    queryType: { name: 'Query' },
    types: [
      { name: 'Query', kind: 'OBJECT', fields: [{ name: 'entity', args: [], type: { kind: 'OBJECT', name: 'Entity' } }] },
      { name: 'Entity', kind: 'OBJECT', fields: entityFields.map((name) => ({ name, type: { kind: 'SCALAR', name: 'String' } })) },
    ],
  });

  it('are asked for only from a server whose Entity has them', () => {
    const withPerson = schema(['key', 'id', 'person', 'personIds']);
    expect(withPerson.entityPerson).toBe(true);
    expect(schema(['key', 'id']).entityPerson).toBe(false);
    expect(contractCapabilities().entityPerson).toBeFalsy();
    for (const q of [searchQuery, neighborhoodQuery, recommendQuery]) {
      expect(withServerEntityFields(q, withPerson)).toContain(`${ENTITY} person personIds`);
      expect(withServerEntityFields(q, schema(['key']))).toBe(q);
      expect(withServerEntityFields(q, null)).toBe(q);
    }
    // Every entity selection of a recommendation (the entity and each path node) gets them.
    expect(withServerEntityFields(recommendQuery, withPerson).split('person personIds').length - 1).toBe(recommendQuery.split(ENTITY).length - 1);
  });
});

describe("a stitched person's expansion", () => {
  it('combines the neighbourhoods of its ids into the one node, each stored edge once', () => {
    const sub = (center: ApiEntity, others: ApiEntity[], edges: [ApiEntity, string, ApiEntity, number][], truncated = 0) => ({
      nodes: [center, ...others], edges: edges.map(([s, relation, t, weight]) => ({ source: s.key, target: t.key, relation, weight })), truncated,
    });
    const a = sub(crm, [kit, social], [[crm, 'PURCHASED', kit, 2], [crm, 'SAME_AS', social, 1]], 4);
    const b = sub(social, [camping, crm, kit], [[social, 'INTERESTED_IN', camping, 1], [crm, 'SAME_AS', social, 1], [social, 'VIEWED', kit, 3]], 1);
    const c = sub(loyalty, [kit], [[loyalty, 'PURCHASED', kit, 1]]);
    expect(samePersonKeys(a, P, new Set([crm.key]))).toEqual([social.key]);
    const all = combinePersonNeighbourhoods(crm.key, [crm.key, social.key, loyalty.key], [a, b, c]);
    expect(all.nodes.map((n) => n.key).sort()).toEqual([crm.key, kit.key, camping.key].sort());
    expect(all.edges.map((e) => `${e.source} ${e.relation} ${e.target} ${e.weight}`).sort()).toEqual([
      `${crm.key} INTERESTED_IN ${camping.key} 1`,
      `${crm.key} PURCHASED ${kit.key} 3`,
      `${crm.key} VIEWED ${kit.key} 3`,
    ].sort());
    expect(all.truncated).toBe(5);
    // The ranking then sees the whole person's neighbours around the drawn node.
    expect(rankNeighbours(all, crm.key).map((r) => r.entity.key)).toEqual([kit.key, camping.key]);
  });
});
