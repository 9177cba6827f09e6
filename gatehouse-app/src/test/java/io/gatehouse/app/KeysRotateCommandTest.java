package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.app.cli.ExitCodes;
import io.gatehouse.as.keys.KeyEncryptionKey;
import io.gatehouse.as.store.JdbcStores;
import io.gatehouse.testkit.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gatehouse keys rotate} (issue 14 point 1): rotates the embedded authorization server's signing key in the
 * database a running node shares, which publishes the new key without a restart; refuses the default H2 file
 * while a server holds it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-14")
class KeysRotateCommandTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @Tag("postgresql")
    @Tag("AS-02")
    void rotate_against_postgresql_prints_the_new_key_which_a_running_node_publishes_without_a_restart(@TempDir Path dataDir)
            throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             RunningGatehouse node = RunningGatehouse.start("auth", "embedded", "data-dir", dataDir.toString(),
                     "demo-password", "pw-rotate", "database-url", postgres.jdbcUrl())) {
            URI jwks = URI.create("http://localhost:" + node.gatehouse.port() + "/oauth/jwks");
            String before = get(jwks);
            Path config = dataDir.resolve("gatehouse.yaml");
            Files.writeString(config, "auth: embedded\ndatabase-url: \"" + postgres.jdbcUrl() + "\"\n");

            Run run = run("keys", "rotate", "--config", config.toString(), "--data-dir", dataDir.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            String kid = run.out().strip();
            assertThat(kid).matches("[A-Za-z0-9_-]{43}");
            assertThat(before).doesNotContain(kid);
            assertThat(run.err()).contains("Rotated the signing key", kid).doesNotContain("at io.gatehouse");
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            String after = get(jwks);
            while (!after.contains(kid) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                after = get(jwks);
            }
            assertThat(after).as("the running node publishes the new key").contains(kid);
            String oldKid = before.replaceAll("(?s).*\"kid\":\"([^\"]+)\".*", "$1");
            assertThat(after).as("and still the old one, for its tokens").contains(oldKid);
        }
    }

    @Test
    @Tag("attack")
    void rotate_refuses_in_one_line_while_a_server_holds_the_default_h2_file(@TempDir Path dataDir) throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKey.generate();
        Files.writeString(dataDir.resolve("kek"), kek.toText() + "\n");
        Files.setPosixFilePermissions(dataDir.resolve("kek"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (JdbcStores created = JdbcStores.open(JdbcStores.h2Url(dataDir), Optional.empty(), Optional.empty(), kek)) {
            created.stores().keys().load();
        }
        // the lock H2 takes on its file, as a server in another process holds it
        try (FileChannel file = FileChannel.open(dataDir.resolve("as").resolve("gatehouse.mv.db"), StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock held = file.lock()) {
            Run run = run("keys", "rotate", "--data-dir", dataDir.toString());

            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.err().strip()).startsWith("gatehouse keys rotate: ").contains("in use by a running Gatehouse", "database-url")
                    .doesNotContain("\n").doesNotContain("Exception");
            assertThat(run.out()).isEmpty();
        }
        Run unlocked = run("keys", "rotate", "--data-dir", dataDir.toString());
        assertThat(unlocked.exitCode()).as(unlocked.err()).isZero();
    }

    @Test
    void without_a_key_encryption_key_it_refuses_and_never_makes_one(@TempDir Path dataDir) throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            Run run = run("keys", "rotate", "--data-dir", dataDir.toString());

            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("No key-encryption key found");
            assertThat(dataDir.resolve("kek")).doesNotExist();
            assertThat(log.text()).as("no key was generated, not even for a moment").doesNotContain("Generated the key-encryption key");
        }
    }

    private static String get(URI uri) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }
}
