import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { roles, type Caller, type Role } from './roles.js';

/**
 * The keys file (`API_KEYS_FILE`), JSON:
 * `{ "keys": [ { "name": "shop", "role": "service", "sha256": "<hex sha-256 of the key>" } ] }`.
 * Only hashes are stored: a leaked file gives no usable key. `npm run keys -- add NAME ROLE`
 * writes an entry and prints the new key once.
 */
const keysFileSchema = z.object({
  keys: z.array(
    z.object({
      name: z.string().min(1).max(100),
      role: z.enum(roles),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the key'),
      created: z.string().optional(),
    }),
  ),
});
export type KeysFile = z.infer<typeof keysFileSchema>;

/** SHA-256 of a key, hex: what the keys file stores. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A key's stable id from its stored hash: names what the key owns (saved scenes) without being usable or matching the keys file. */
export function keyIdOf(sha256: string): string {
  return createHash('sha256').update(`kg-key-id:${sha256}`, 'utf8').digest('hex').slice(0, 32);
}

/** A new random key (256 bits). */
export function generateKey(): string {
  return 'kg_' + randomBytes(32).toString('base64url');
}

/** Reads and validates a keys file; a missing or malformed file is a ConfigError naming it. */
export function readKeysFile(file: string): KeysFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`API_KEYS_FILE ${file}: ${(error as Error).message}`);
  }
  const parsed = keysFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`API_KEYS_FILE ${file}: ${problems.join('; ')}`);
  }
  const names = new Set<string>();
  for (const k of parsed.data.keys) {
    if (names.has(k.name)) throw new ConfigError(`API_KEYS_FILE ${file}: the name "${k.name}" appears twice`);
    names.add(k.name);
  }
  return parsed.data;
}

/** Writes a keys file atomically (mode 600), creating its folder. */
export function writeKeysFile(file: string, content: KeysFile): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/** Adds a key named `name` with `role` to `file` (created if absent) and returns the new key. */
export function addKey(file: string, name: string, role: Role): string {
  // The file's own rule, checked before writing: a 101-character name wrote a file the server
  // then refused and list/remove could not repair (issue 17, finding 11).
  const checked = keysFileSchema.shape.keys.element.shape.name.safeParse(name);
  if (!checked.success || /[\u0000-\u001f\u007f]/.test(name)) throw new ConfigError(`NAME must be 1 to 100 characters without control characters; got ${name.length}`);
  const content = existsSync(file) ? readKeysFile(file) : { keys: [] };
  if (content.keys.some((k) => k.name === name)) throw new ConfigError(`a key named "${name}" already exists in ${file}`);
  const key = generateKey();
  content.keys.push({ name, role, sha256: hashKey(key), created: new Date().toISOString() });
  writeKeysFile(file, content);
  return key;
}

/** True for loopback hosts: only processes on this machine can reach them. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** How callers are authenticated: the keys by hash, and the role of a caller without a key. */
export interface AccessPolicy {
  keysByHash: Map<string, { name: string; role: Role }>;
  /** null: a key is required for everything. */
  anonymousRole: Role | null;
}

/**
 * The contract's rule: bound to a loopback address with no keys file, anonymous callers get
 * `localAnonymousRole` (reader, or service so the local explorer can show per-consumer
 * recommendations); bound anywhere else, or with a keys file, every request needs a key.
 */
export function accessPolicy(options: { host: string; apiKeysFile?: string; localAnonymousRole: 'reader' | 'service' }): AccessPolicy {
  const keysByHash = new Map<string, { name: string; role: Role }>();
  if (options.apiKeysFile) {
    for (const k of readKeysFile(options.apiKeysFile).keys) keysByHash.set(k.sha256, { name: k.name, role: k.role });
  }
  const anonymousRole = !options.apiKeysFile && isLoopbackHost(options.host) ? options.localAnonymousRole : null;
  return { keysByHash, anonymousRole };
}

/** Outcome of reading the Authorization header. */
export type Authentication = { ok: true; caller: Caller } | { ok: false; reason: string };

/**
 * Identifies the caller from an `Authorization` header: `Bearer KEY` with a known key gives
 * that key's role; no header gives the anonymous role (null when keys are required); any
 * other header is refused, so a mistyped key never silently falls back to anonymous.
 */
export function authenticate(policy: AccessPolicy, authorization: string | null): Authentication {
  if (authorization === null || authorization.trim() === '') {
    return { ok: true, caller: { name: 'anonymous', role: policy.anonymousRole } };
  }
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(authorization);
  if (!match) return { ok: false, reason: 'The Authorization header must be "Bearer KEY".' };
  const sha = hashKey(match[1]!);
  const entry = policy.keysByHash.get(sha);
  if (!entry) return { ok: false, reason: 'The API key is not valid.' };
  return { ok: true, caller: { name: entry.name, role: entry.role, keyId: keyIdOf(sha) } };
}
