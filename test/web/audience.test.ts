import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { capabilitiesFrom, contractCapabilities } from '../../web/src/api/capabilities.js';
import { audienceQuery, audienceReportQuery } from '../../web/src/api/queries.js';
import { audienceAccess, audienceCsv, audienceDefaults, audienceFileName, audienceSize, reportRows, reportSummary } from '../../web/src/graph/audience.js';

const field = (name: string, args: string[] = []) => ({ name, args: args.map((a) => ({ name: a, type: { kind: 'SCALAR', name: 'String' } })), type: { kind: 'OBJECT', name: 'X' } });
const caps = (fields: ReturnType<typeof field>[]) => capabilitiesFrom({ queryType: { name: 'Query' }, types: [{ name: 'Query', kind: 'OBJECT', fields }] });
const full = caps([field('audience', ['id', 'type', 'size', 'exploration', 'under']), field('audienceReport', ['id', 'type', 'size', 'under'])]);

describe('the audience builder', () => {
  it('offers the list to service callers, the report only to readers, nothing without audienceReport', () => {
    expect(audienceAccess(full, 'service', 'Product')).toBe('list');
    expect(audienceAccess(full, 'admin', 'Interest')).toBe('list');
    expect(audienceAccess(full, null, 'Product')).toBe('list');
    expect(audienceAccess(full, 'reader', 'Product')).toBe('report');
    expect(audienceAccess(caps([field('audienceReport', ['id', 'type', 'size'])]), 'service', 'Product')).toBe('report');
    expect(audienceAccess(full, 'service', 'Consumer')).toBe('none');
    expect(audienceAccess(contractCapabilities(), 'service', 'Product')).toBe('none');
    expect(audienceAccess(null, 'service', 'Product')).toBe('none');
  });

  it('asks with `under` only where the server takes it', () => {
    expect(audienceReportQuery(full)).toContain('under: $under');
    expect(audienceQuery(full)).toContain('members { person score reasons');
    const old = caps([field('audience', ['id', 'type', 'size']), field('audienceReport', ['id', 'type', 'size'])]);
    expect(audienceReportQuery(old)).not.toContain('under');
    expect(audienceQuery(old)).not.toContain('under');
  });

  it('reads sizes as whole numbers in range', () => {
    expect(audienceSize('250')).toBe(250);
    expect(audienceSize(' 12.7 ')).toBe(12);
    expect(audienceSize('')).toBe(audienceDefaults.size);
    expect(audienceSize('-3')).toBe(audienceDefaults.size);
    expect(audienceSize('abc')).toBe(audienceDefaults.size);
    expect(audienceSize(10 ** 9)).toBe(audienceDefaults.maxSize);
  });

  it('words the report, and says so when k-anonymity hides it', () => {
    const r = { size: 100, expectedConversion: 0.123, baseRate: 0.015, lift: 8.2 };
    expect(reportRows(r, 'en')).toEqual([['Audience size', '100 persons'], ['Expected conversion', '12%'], ['Base rate', '1.5%'], ['Lift', '8.2×']]);
    expect(reportSummary(r, 'en')).toBe('100 persons · 8.2× the base rate');
    expect(reportSummary(r, 'zh')).toBe('100 人 · 转化率为基准的 8.2 倍');
    const hidden = { size: null, expectedConversion: null, baseRate: 0.015, lift: null };
    expect(reportRows(hidden, 'en')[0]![1]).toMatch(/k-anonymity/);
    expect(reportSummary(hidden, 'en')).toBe('Too few people to report');
  });

  it('exports the pseudonymous persons as CSV with a header, strongest reason first, quoted where needed', () => {
    const csv = audienceCsv({
      members: [
        { person: 'p_AAAAAAAAAAAAAAAAAAAAAA', score: 0.91234567, reasons: [{ share: 0.2, text: 'weak' }, { share: 0.8, text: 'bought "Camping stove", a tent', textZh: '买过露营炉' }] },
        { person: 'p_BBBBBBBBBBBBBBBBBBBBBB', score: 0.5, reasons: [] },
      ],
    });
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual(['rank', 'person', 'score', 'reason']);
    expect(rows.slice(1)).toEqual([
      ['1', 'p_AAAAAAAAAAAAAAAAAAAAAA', '0.912346', 'bought "Camping stove", a tent'],
      ['2', 'p_BBBBBBBBBBBBBBBBBBBBBB', '0.5', ''],
    ]);
    expect(audienceCsv({ members: [{ person: 'p_A', score: 1, reasons: [{ share: 1, text: 'x', textZh: '买过' }] }] }, 'zh')).toContain('买过');
    expect(audienceFileName('Product', 'coffee-15', 100)).toBe('audience-Product-coffee-15-100.csv');
    expect(audienceFileName('Interest', 'a/b c', 5)).toBe('audience-Interest-a_b_c-5.csv');
  });
});
