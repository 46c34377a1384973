import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addKey, readKeysFile, writeKeysFile } from '../auth/keys.js';
import { roles, type Role } from '../auth/roles.js';
import { ConfigError, dataDir } from '../config.js';

const usage = 'usage: npm run keys -- add NAME ROLE | list | remove NAME   (file: API_KEYS_FILE or .data/api-keys.json; ROLE: reader, service, admin)';

/** `npm run keys`: manages the API keys file; a new key is printed once and only its hash is kept. */
function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const file = process.env.API_KEYS_FILE ?? join(dataDir, 'api-keys.json');
  if (!command || command === '--help' || command === '-h') {
    console.log(usage);
    return command ? 0 : 2;
  }
  if (command === 'add' && rest.length === 2) {
    const [name, role] = rest as [string, string];
    if (!roles.includes(role as Role)) throw new ConfigError(`ROLE must be one of ${roles.join(', ')}; got "${role}"`);
    const key = addKey(file, name, role as Role);
    console.error(`added "${name}" (${role}) to ${file}; the key is shown only now:`);
    console.log(key);
    if (!process.env.API_KEYS_FILE) console.error(`serve with API_KEYS_FILE=${file} to require keys`);
    return 0;
  }
  if (command === 'list' && rest.length === 0) {
    if (!existsSync(file)) throw new ConfigError(`no keys file at ${file}`);
    for (const k of readKeysFile(file).keys) console.log(`${k.name}\t${k.role}\t${k.created ?? ''}`);
    return 0;
  }
  if (command === 'remove' && rest.length === 1) {
    const content = readKeysFile(file);
    const kept = content.keys.filter((k) => k.name !== rest[0]);
    if (kept.length === content.keys.length) throw new ConfigError(`no key named "${rest[0]}" in ${file}`);
    writeKeysFile(file, { keys: kept });
    console.error(`removed "${rest[0]}" from ${file} (takes effect when the server restarts)`);
    return 0;
  }
  console.error(usage);
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`npm run keys: ${(error as Error).message}`);
  process.exitCode = 1;
}
