import { afterEach, describe, expect, it } from 'vitest';
import { selectionCsv, selectionTable, sortSelection, type SelectionNode } from '../../web/src/ui/selection-table.js';
import { setLang } from '../../web/src/ui/i18n.js';

const pseudonym = 'c_3n_v3CqLx9aZ0bYw1KtR2m';
const node = (type: string, id: string, name: string, nameEn: string | null, properties: Record<string, unknown> | null, degree: number, seg?: [string, string]): SelectionNode => ({
  key: `${type}:${id}`, type, entityId: id, name, nameEn, properties: properties && JSON.stringify(properties), degree,
  segName: seg?.[0], segNameEn: seg?.[1],
});
const suv = node('Product', 'suv', '萤火虫城市SUV', 'Firefly City SUV', { price: 189000, rating: 4.5, brand: 'Firefly' }, 15);
const kettle = node('Product', 'kettle', '户外咖啡壶', 'Outdoor coffee kettle', { price: 299, rating: 4.8 }, 20);
const tent = node('Product', 'tent', '四人帐篷', 'Four-person tent', { price: 899, colour: 'green' }, 1);
const camping = node('Interest', 'camping', '萤火虫露营', 'Firefly camping', null, 30);
const consumer = node('Consumer', pseudonym, pseudonym, null, { age: 31 }, 2, ['露营', 'Camping']);

afterEach(() => setLang('en'));

describe('the selection table', () => {
  it('lists each node with its type, readable name and degree, and only the numeric properties all of them have', () => {
    const t = selectionTable([suv, kettle, tent], 'en');
    expect(t.columns).toEqual(['price']);
    expect(t.rows.map((r) => [r.typeLabel, r.label, r.degree, r.values])).toEqual([
      ['Product', 'Firefly City SUV', 15, { price: 189000 }],
      ['Product', 'Outdoor coffee kettle', 20, { price: 299 }],
      ['Product', 'Four-person tent', 1, { price: 899 }],
    ]);
    expect(selectionTable([suv, kettle], 'en').columns).toEqual(['price', 'rating']);
    // An interest without properties: nothing is shared.
    expect(selectionTable([suv, camping], 'en').columns).toEqual([]);
  });

  it('names a consumer by its segment and a short hash, never its pseudonym', () => {
    const [row] = selectionTable([consumer], 'en').rows;
    expect(row!.label).toBe('Camping #3n_v3C');
    expect(selectionTable([consumer], 'zh').rows[0]!.label).toBe('露营 #3n_v3C');
    const unknown = selectionTable([{ ...consumer, segName: undefined, segNameEn: undefined }, suv], 'en');
    expect(unknown.rows[0]!.label).toBe('Consumer #3n_v3C');
    expect(JSON.stringify(selectionCsv(unknown, unknown.rows, 'en'))).not.toContain(pseudonym);
  });

  it('sorts numbers largest first and words A to Z, a second click reverses', () => {
    const { rows } = selectionTable([suv, kettle, tent, camping], 'en');
    const names = (by: string, flip: boolean) => sortSelection(rows, by, flip, 'en').map((r) => r.label);
    expect(names('degree', false)).toEqual(['Firefly camping', 'Outdoor coffee kettle', 'Firefly City SUV', 'Four-person tent']);
    expect(names('degree', true)).toEqual(['Four-person tent', 'Firefly City SUV', 'Outdoor coffee kettle', 'Firefly camping']);
    expect(names('name', false)).toEqual(['Firefly camping', 'Firefly City SUV', 'Four-person tent', 'Outdoor coffee kettle']);
    // Type, then name within a type.
    expect(names('type', false)).toEqual(['Firefly camping', 'Firefly City SUV', 'Four-person tent', 'Outdoor coffee kettle']);
    expect(names('type', true)[0]).toBe('Firefly City SUV');
    const priced = selectionTable([suv, kettle, tent], 'en').rows;
    expect(sortSelection(priced, 'p:price', false, 'en').map((r) => r.values.price)).toEqual([189000, 899, 299]);
    expect(sortSelection(priced, 'p:price', true, 'en').map((r) => r.values.price)).toEqual([299, 899, 189000]);
  });

  it('exports what it shows as CSV rows, header first, in the page language', () => {
    const t = selectionTable([suv, kettle, tent], 'en');
    expect(selectionCsv(t, sortSelection(t.rows, 'p:price', false, 'en'), 'en')).toEqual([
      ['type', 'name', 'relations on canvas', 'price'],
      ['Product', 'Firefly City SUV', 15, 189000],
      ['Product', 'Four-person tent', 1, 899],
      ['Product', 'Outdoor coffee kettle', 20, 299],
    ]);
    setLang('zh');
    const zh = selectionTable([suv, camping], 'zh');
    expect(selectionCsv(zh, zh.rows, 'zh')).toEqual([
      ['类型', '名称', '画布上的关系'],
      ['产品', '萤火虫城市SUV', 15],
      ['兴趣', '萤火虫露营', 30],
    ]);
  });
});
