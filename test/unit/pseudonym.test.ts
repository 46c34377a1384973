import { describe, expect, it } from 'vitest';
import { isPseudonym, pseudonymize, storedEntityId } from '../../server/privacy/pseudonym.js';

describe('pseudonymize', () => {
  it('is stable for one secret and differs across secrets', () => {
    const a = pseudonymize('secret-one-secret-one', 'user-42');
    expect(pseudonymize('secret-one-secret-one', 'user-42')).toBe(a);
    expect(pseudonymize('secret-two-secret-two', 'user-42')).not.toBe(a);
    expect(isPseudonym(a)).toBe(true);
    expect(a).not.toContain('42');
  });

  it('treats Unicode-equivalent ids as the same consumer', () => {
    expect(pseudonymize('s'.repeat(20), 'Zoe\u0301')).toBe(pseudonymize('s'.repeat(20), 'Zoé'));
  });
});

describe('storedEntityId', () => {
  it('hashes raw consumer ids, keeps pseudonyms and other types as they are', () => {
    const secret = 'x'.repeat(20);
    const p = pseudonymize(secret, '张伟');
    expect(storedEntityId(secret, 'Consumer', '张伟')).toBe(p);
    expect(storedEntityId(secret, 'Consumer', p)).toBe(p);
    expect(storedEntityId(secret, 'Product', 'sku-1')).toBe('sku-1');
  });
});
