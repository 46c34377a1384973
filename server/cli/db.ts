import { ensureLauncherBuilt } from '../local-neo4j/launcher-build.js';
import { defaultLocalOptions, localStatus, startLocalNeo4j, stopLocalNeo4j } from '../local-neo4j/local-neo4j.js';

const usage = 'usage: npm run db -- start|stop|status|build   (manages the bundled local Neo4j in .data/neo4j)';

/** `npm run db -- start|stop|status|build` (build: only build the launcher, as CI does first). */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    console.log(usage);
    return 0;
  }
  if (!command || rest.length > 0 || !['start', 'stop', 'status', 'build'].includes(command)) {
    console.error(usage);
    return 2;
  }
  if (process.env.NEO4J_URI) {
    console.error(`npm run db: NEO4J_URI is set (${process.env.NEO4J_URI}); this command manages only the bundled Neo4j`);
    return 2;
  }
  if (command === 'build') {
    ensureLauncherBuilt((l) => console.log(l));
    console.log('the bundled Neo4j launcher is built');
    return 0;
  }
  const options = defaultLocalOptions();
  if (command === 'status') {
    const s = await localStatus(options);
    console.log(
      s.running
        ? `running (pid ${s.pid}) on bolt://127.0.0.1:${s.port}, Bolt ${s.boltUp ? 'answers' : 'does not answer yet'}; data ${s.home}; log ${s.log}`
        : `stopped; data ${s.home}`,
    );
    return s.running ? 0 : 3;
  }
  if (command === 'stop') {
    const wasRunning = await stopLocalNeo4j(options);
    console.log(wasRunning ? 'stopped' : 'was not running');
    return 0;
  }
  const status = await localStatus(options);
  if (status.running) {
    console.log(`already running (pid ${status.pid}) on bolt://127.0.0.1:${status.port}`);
    return 0;
  }
  const t0 = Date.now();
  const running = await startLocalNeo4j(options, { detached: true, log: (l) => console.log(l) });
  console.log(`started (pid ${running.pid}) on ${running.uri} in ${((Date.now() - t0) / 1000).toFixed(1)} s; user neo4j, password in ${options.passwordFile}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm run db: ${(error as Error).message}`);
    process.exit(1);
  },
);
