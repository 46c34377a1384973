import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../config.js';

/** The Maven project of the embedded-Neo4j launcher. */
export const launcherDir = join(repoRoot, 'neo4j-local');
export const launcherJar = join(launcherDir, 'target', 'neo4j-local.jar');

/** `java` arguments that run the launcher jar with `heap` (its subcommand and options follow). */
export function launcherJavaArgs(heap: string): string[] {
  return [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Dfile.encoding=UTF-8',
    // Flags Neo4j's own start script passes on Java 17+ (reflective access by Netty and the page cache).
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-jar',
    launcherJar,
  ];
}
const stampFile = join(launcherDir, 'target', 'build-stamp');

/** Thrown when the machine lacks what the bundled Neo4j needs; the message says what to install. */
export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

/** Checks `java` is on PATH and is 17 or newer; returns its major version. */
export function checkJava(): number {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new MissingToolError(
      'Java 17+ is needed for the bundled Neo4j and was not found: install a JDK 17 (e.g. `apt-get install openjdk-17-jdk-headless`) or set NEO4J_URI to an existing Neo4j',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr + r.stdout);
  let major = match ? Number(match[1]) : 0;
  if (major === 1 && match?.[2]) major = Number(match[2]);
  if (major < 17) {
    throw new MissingToolError(`Java ${major} found, the bundled Neo4j needs Java 17+: install a JDK 17 or set NEO4J_URI`);
  }
  return major;
}

/** A fingerprint of the launcher's sources: a changed pom or class means a rebuild. */
function sourceFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path.slice(launcherDir.length)).update(readFileSync(path));
    }
  };
  hash.update(readFileSync(join(launcherDir, 'pom.xml')));
  walk(join(launcherDir, 'src'));
  return hash.digest('hex');
}

/**
 * Builds the launcher with Maven unless an up-to-date build exists. The first build downloads
 * Neo4j from Maven Central; later calls need neither Maven nor the network.
 */
export function ensureLauncherBuilt(log: (line: string) => void = () => undefined): void {
  checkJava();
  const fingerprint = sourceFingerprint();
  if (existsSync(launcherJar) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === fingerprint) return;

  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new MissingToolError(
      'Maven is needed once to build the bundled Neo4j and was not found: install it (e.g. `apt-get install maven`) or set NEO4J_URI to an existing Neo4j',
    );
  }
  log('building the bundled Neo4j launcher with Maven (first time only; downloads Neo4j 5.26 from Maven Central)…');
  const build = spawnSync('mvn', ['-B', '-q', 'package', '-DskipTests'], {
    cwd: launcherDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (build.status !== 0) {
    const tail = `${build.stdout}\n${build.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`Maven could not build the bundled Neo4j launcher (in ${launcherDir}):\n${tail}`);
  }
  writeFileSync(stampFile, fingerprint);
}
