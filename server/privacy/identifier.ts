import { createHmac } from 'node:crypto';

/**
 * An identifier column's value as it is compared: a phone by its digits only (`+86 138-0013`
 * and `8613800 13` are one number), an email trimmed and lower-cased, anything else trimmed.
 * Empty when nothing is left (the row links nobody through it).
 */
export function normaliseIdentifier(column: string, value: string): string {
  const text = value.normalize('NFC');
  if (column === 'phone') return text.replace(/\D+/g, '');
  if (column === 'email') return text.trim().toLowerCase();
  return text.trim();
}

/**
 * The stored key of an identifier: a keyed hash (HMAC-SHA256 with PSEUDONYM_SECRET) of the
 * column and the normalised value, 128 bits in base64url behind an "i_" prefix. The column is
 * part of the hash, so one string as a phone and as an openid are different keys. Null for a
 * value that normalises to nothing. Without the secret it cannot be reversed or recomputed.
 */
export function identifierKey(secret: string, column: string, value: string): string | null {
  const normalised = normaliseIdentifier(column, value);
  if (normalised === '') return null;
  return 'i_' + createHmac('sha256', secret).update('id:' + column + ':' + normalised, 'utf8').digest('base64url').slice(0, 22);
}
