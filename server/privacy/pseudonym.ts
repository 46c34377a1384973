import { createHmac } from 'node:crypto';

/**
 * The consumer pseudonym: a keyed hash (HMAC-SHA256 with PSEUDONYM_SECRET) of the raw id,
 * 128 bits in base64url behind a "c_" prefix. The loader stores only this; the API applies
 * the same function to the raw ids callers send. Without the secret it cannot be reversed
 * or recomputed from a guessed id.
 */
export function pseudonymize(secret: string, rawId: string): string {
  return 'c_' + createHmac('sha256', secret).update(rawId.normalize('NFC'), 'utf8').digest('base64url').slice(0, 22);
}

/** True for ids that already are pseudonyms (so they are not hashed twice). */
export function isPseudonym(id: string): boolean {
  return /^c_[A-Za-z0-9_-]{22}$/.test(id);
}

/**
 * The stored id of an entity named by a caller: consumers are stored by pseudonym, so a raw
 * consumer id is hashed; a pseudonym (e.g. taken from a browsed graph) is kept as it is.
 */
export function storedEntityId(secret: string, type: string, id: string): string {
  if (type !== 'Consumer' || isPseudonym(id)) return id;
  return pseudonymize(secret, id);
}
