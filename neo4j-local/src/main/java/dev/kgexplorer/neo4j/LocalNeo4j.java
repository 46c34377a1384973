package dev.kgexplorer.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs Neo4j Community embedded with Bolt on 127.0.0.1, for machines without a Neo4j install.
 *
 * Arguments: --home DIR --port N --password-file FILE [--pagecache SIZE] [--exit-on-stdin-close],
 * or `import --home DIR ...` for the offline bulk importer (see BulkImport).
 * Prints one line "NEO4J_READY bolt://127.0.0.1:N" once Bolt accepts connections.
 */
public final class LocalNeo4j {
    private LocalNeo4j() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length > 0 && argv[0].equals("import")) {
            System.exit(BulkImport.run(java.util.Arrays.copyOfRange(argv, 1, argv.length)));
        }
        Map<String, String> args = parseArgs(argv);
        Path home = Path.of(require(args, "home")).toAbsolutePath();
        int port = Integer.parseInt(args.getOrDefault("port", "7687"));
        String password = Files.readString(Path.of(require(args, "password-file")), StandardCharsets.UTF_8).trim();
        if (password.length() < 8) {
            fail("the password in " + args.get("password-file") + " is shorter than 8 characters");
        }
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        parseBytes(args.getOrDefault("pagecache", "512m")))
                // A runaway query must never hold the local database forever.
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
                // No usage reports: our machines have no internet and users did not ask for it.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Ctrl-C should not wait the default 10 s for idle transactions to end.
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                // Nor 2 x 5 s for idle Bolt connections and Netty's quiet period (internal settings).
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .setUserLogProvider(new Log4jLogProvider(new NonClosingStream(System.out)))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J_STOPPING " + java.time.Instant.now());
            dbms.shutdown();
            System.out.println("NEO4J_STOPPED " + java.time.Instant.now());
            System.out.flush();
            stopped.countDown();
        }, "neo4j-shutdown"));

        setInitialPassword(dbms.database("system"), password);
        // Touch the default database so the first client does not wait for it to come online.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");

        System.out.println("NEO4J_READY bolt://127.0.0.1:" + port + " " + java.time.Instant.now());
        System.out.flush();

        if (args.containsKey("exit-on-stdin-close")) {
            // The parent process holds our stdin; when it dies, we go too (no orphaned JVM).
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    while (in.read() != -1) {
                        // ignore input
                    }
                } catch (IOException ignored) {
                    // treat as closed
                }
                System.exit(0);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    /** Neo4j closes its log stream on shutdown; stdout must stay open for our last lines. */
    private static final class NonClosingStream extends java.io.FilterOutputStream {
        NonClosingStream(java.io.OutputStream out) { super(out); }
        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
        @Override public void close() throws IOException { out.flush(); }
    }

    private static void setInitialPassword(GraphDatabaseService system, String password) {
        try (Transaction tx = system.beginTx()) {
            tx.execute("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            tx.commit();
        } catch (RuntimeException e) {
            // Setting the same password again is refused; anything else is real.
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    private static long parseBytes(String text) {
        String t = text.trim().toLowerCase();
        long unit = 1;
        if (t.endsWith("g")) { unit = ByteUnit.gibiBytes(1); t = t.substring(0, t.length() - 1); }
        else if (t.endsWith("m")) { unit = ByteUnit.mebiBytes(1); t = t.substring(0, t.length() - 1); }
        else if (t.endsWith("k")) { unit = ByteUnit.kibiBytes(1); t = t.substring(0, t.length() - 1); }
        return Long.parseLong(t) * unit;
    }

    private static Map<String, String> parseArgs(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) fail("unexpected argument: " + a);
            String key = a.substring(2);
            if (key.equals("exit-on-stdin-close")) { out.put(key, "true"); continue; }
            if (i + 1 >= argv.length) fail("missing value for " + a);
            out.put(key, argv[++i]);
        }
        return out;
    }

    private static String require(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null) fail("missing --" + key);
        return v;
    }

    private static void fail(String message) {
        System.err.println("neo4j-local: " + message);
        System.exit(2);
    }
}
