package dev.kgexplorer.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.importer.ImportCommand;
import picocli.CommandLine;

/**
 * `import --home DIR [importer options]`: Neo4j's own offline importer (the engine of
 * `neo4j-admin database import full`) writing a new store for the default database under DIR,
 * which must not be a running database's home. The caller imports into a staging home and
 * swaps the store into place afterwards, so an interrupted import never leaves a half store
 * where Neo4j would open it. Every option after --home goes to the importer as it is.
 * Prints "NEO4J_IMPORT_DONE" on success; exits non-zero (with the importer's message) otherwise.
 * With --exit-on-stdin-close first, it halts when its parent closes stdin (the parent died): an
 * orphaned import must not go on writing into a staging folder that a rerun clears.
 */
final class BulkImport {
    private BulkImport() {}

    static int run(String[] argv) throws Exception {
        if (argv.length > 0 && argv[0].equals("--exit-on-stdin-close")) {
            argv = Arrays.copyOfRange(argv, 1, argv.length);
            Thread watcher = new Thread(() -> {
                try (java.io.InputStream in = System.in) {
                    while (in.read() != -1) {
                        // ignore input
                    }
                } catch (java.io.IOException ignored) {
                    // treat as closed
                }
                Runtime.getRuntime().halt(3);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        if (argv.length < 2 || !argv[0].equals("--home")) {
            System.err.println("neo4j-local import: usage: import --home DIR [neo4j-admin database import full options]");
            return 2;
        }
        Path home = Path.of(argv[1]).toAbsolutePath();
        Path conf = home.resolve("conf");
        Files.createDirectories(conf);
        String[] rest = Arrays.copyOfRange(argv, 2, argv.length);
        ExecutionContext ctx = new ExecutionContext(home, conf);
        CommandLine cli = new CommandLine(new ImportCommand.Full(ctx));
        cli.setOut(new java.io.PrintWriter(System.out, true));
        cli.setErr(new java.io.PrintWriter(System.err, true));
        int code = cli.execute(rest);
        if (code == 0) {
            System.out.println("NEO4J_IMPORT_DONE");
            System.out.flush();
        }
        return code;
    }
}
