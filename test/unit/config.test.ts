import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readOrCreateSecret } from '../../server/config.js';
import { startTimeoutMs } from '../../server/local-neo4j/local-neo4j.js';

const base = { PSEUDONYM_SECRET: 'a-secret-of-sufficient-length' };

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const c = loadConfig(base);
    expect(c.neo4j.uri).toBeUndefined();
    expect(c.neo4j.user).toBe('neo4j');
    expect(c.neo4j.database).toBe('neo4j');
    expect(c.port).toBe(4000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.kAnonymity).toBe(5);
  });

  it.each(['bolt://db:7687', 'neo4j://cluster.example.com', 'bolt+s://x:7687', 'neo4j+s://abc.databases.neo4j.io'])('accepts %s', (uri) => {
    expect(loadConfig({ ...base, NEO4J_URI: uri }).neo4j.uri).toBe(uri);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ ...base, NEO4J_URI: 'http://localhost:7474' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NEO4J_URI: 'http://localhost:7474' })).toThrow(/NEO4J_URI/);
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ ...base, NEO4J_DATABASE: 'bad name;' })).toThrow(/NEO4J_DATABASE/);
  });
});

describe('readOrCreateSecret', () => {
  it('creates a secret once and returns the same one afterwards', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kg-secret-')), 'secret');
    const first = readOrCreateSecret(file);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readOrCreateSecret(file)).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
  });
});

describe('issue 17, finding 11: small configuration faults', () => {
  it('treats an empty API_KEYS_FILE (docker compose passes ${API_KEYS_FILE:-}) as unset', async () => {
    const { loadConfig } = await import('../../server/config.js');
    expect(loadConfig({ API_KEYS_FILE: '', PSEUDONYM_SECRET: 'x'.repeat(16) }).apiKeysFile).toBeUndefined();
  });

  it('refuses a key name the keys file would not accept, before writing it', async () => {
    const { mkdtempSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { addKey, readKeysFile } = await import('../../server/auth/keys.js');
    const file = join(mkdtempSync(join(tmpdir(), 'kg-keys-')), 'keys.json');
    expect(() => addKey(file, 'n'.repeat(101), 'reader')).toThrow(/1 to 100 characters/);
    expect(existsSync(file)).toBe(false);
    addKey(file, 'n'.repeat(100), 'reader');
    expect(readKeysFile(file).keys).toHaveLength(1);
  });
});

describe('the bundled Neo4j start timeout', () => {
  it('is 180 s unless NEO4J_LOCAL_START_TIMEOUT_MS says otherwise, and refuses what is not a number of milliseconds', () => {
    expect(startTimeoutMs({})).toBe(180_000);
    expect(startTimeoutMs({ NEO4J_LOCAL_START_TIMEOUT_MS: '900000' })).toBe(900_000);
    expect(() => startTimeoutMs({ NEO4J_LOCAL_START_TIMEOUT_MS: '15m' })).toThrow(/NEO4J_LOCAL_START_TIMEOUT_MS must be .* got "15m"/);
    expect(() => startTimeoutMs({ NEO4J_LOCAL_START_TIMEOUT_MS: '10' })).toThrow(/≥ 1000/);
  });
});
