import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readOrCreateSecret } from '../../server/config.js';

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
