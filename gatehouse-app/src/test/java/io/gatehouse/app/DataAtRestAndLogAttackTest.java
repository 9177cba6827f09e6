package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.server.internal.Version;
import io.gatehouse.server.internal.config.ConfigException;
import io.gatehouse.as.keys.KeyEncryptionKey;
import io.gatehouse.as.store.JdbcStores;
import io.gatehouse.client.oauth.CredentialStore;
import io.gatehouse.client.oauth.Credentials;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 10, findings 2, 6 and 13 (health), attacked on a running Gatehouse with its embedded authorization server:
 * another local user reading the data directory or a copy of the database, a client writing control characters
 * into the log, and an anonymous caller reading the server's details from {@code /health}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
class DataAtRestAndLogAttackTest {

    static final String PASSWORD = "demo-pw-data-at-rest";
    static final String REDIRECT = "http://127.0.0.1:4321/callback";
    static final String VERIFIER = "data-at-rest-verifier-0123456789-abcdefghijklmnopq";
    static final String FORGED = "2026-01-01 INFO forged line";

    @TempDir
    Path temp;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    RunningGatehouse embedded(Path dataDir, String... more) throws Exception {
        List<String> settings = new ArrayList<>(List.of("auth", "embedded", "demo-password", PASSWORD, "data-dir", dataDir.toString()));
        settings.addAll(List.of(more));
        return RunningGatehouse.start(settings.toArray(String[]::new));
    }

    static URI base(RunningGatehouse gatehouse) {
        return URI.create("http://localhost:" + gatehouse.gatehouse.port());
    }

    /** Registers a client, logs alice in, consents and exchanges the code: the database is written to throughout. */
    static String aliceToken(RunningGatehouse gatehouse) throws Exception {
        OAuthTestDriver driver = new OAuthTestDriver(base(gatehouse));
        String clientId = driver.register(REDIRECT).path("client_id").asString();
        URI callback = driver.loginAndConsent(driver.authorize(clientId, REDIRECT, VERIFIER, "mcp:read mcp:tools"), "alice", PASSWORD);
        JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                "redirect_uri", REDIRECT, "client_id", clientId, "code_verifier", VERIFIER));
        assertThat(tokens.path("access_token").asString()).as(tokens.toString()).isNotBlank();
        return tokens.path("access_token").asString();
    }

    // ---- finding 2: the signing key and everything else under the data directory

    @Test
    @Tag("SEC10-2")
    void every_directory_and_file_gatehouse_makes_under_its_data_directory_is_owner_only_while_it_runs_and_after() throws Exception {
        Path dataDir = temp.resolve("gatehouse-data");
        try (RunningGatehouse gatehouse = embedded(dataDir)) {
            aliceToken(gatehouse);
            assertThat(dataDir.resolve("kek")).exists();
            assertThat(dataDir.resolve("as")).isDirectory();
            assertOwnerOnly(dataDir);
        }
        assertOwnerOnly(dataDir);
    }

    @Test
    @Tag("SEC10-2")
    void a_data_directory_an_earlier_version_left_readable_is_closed_at_start() throws Exception {
        Path dataDir = temp.resolve("old-data");
        Files.createDirectories(dataDir.resolve("as"));
        Files.writeString(dataDir.resolve("demo-password"), PASSWORD + "\n");
        Files.writeString(dataDir.resolve("as").resolve("notes.txt"), "left by an earlier version");
        for (Path path : List.of(dataDir, dataDir.resolve("as"))) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(dataDir.resolve("demo-password"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dataDir.resolve("as").resolve("notes.txt"), PosixFilePermissions.fromString("rw-rw-rw-"));
        try (RunningGatehouse gatehouse = embedded(dataDir)) {
            assertOwnerOnly(dataDir);
        }
    }

    @Test
    @Tag("SEC10-2")
    void local_keys_and_the_cli_credentials_file_are_owner_only_from_creation() throws Exception {
        Path dataDir = temp.resolve("local-keys-data");
        try (RunningGatehouse gatehouse = RunningGatehouse.start("auth", "local-keys", "data-dir", dataDir.toString())) {
            assertThat(dataDir.resolve("keys").resolve("signing-key.jwk")).exists();
            assertOwnerOnly(dataDir);
        }
        Path credentials = temp.resolve("config-home").resolve("gatehouse").resolve("credentials.json");
        new CredentialStore(credentials).save(new Credentials("http://localhost:9000",
                Optional.of(java.net.URI.create("http://localhost:9000/.well-known/oauth-authorization-server")), "client-1", Optional.of("client-secret"),
                "client_secret_basic", Optional.of(new Credentials.Tokens("http://localhost:9000/mcp", "access", Optional.of("refresh"),
                        "mcp:read", Instant.now().plusSeconds(600)))));
        assertOwnerOnly(temp.resolve("config-home"));
    }

    @Test
    @Tag("SEC10-2")
    void the_database_holds_no_private_signing_key_in_plain_text() throws Exception {
        Path dataDir = temp.resolve("gatehouse-data");
        String kid;
        try (RunningGatehouse gatehouse = embedded(dataDir)) {
            aliceToken(gatehouse);
            kid = publishedKeyIds(gatehouse).get(0);
        }
        Map<String, String> rows = storedKeys(dataDir);
        assertThat(rows).containsKey(kid);
        KeyEncryptionKey kek = KeyEncryptionKey.fromText(Files.readString(dataDir.resolve("kek")));
        byte[] database = Files.readAllBytes(dataDir.resolve("as").resolve("gatehouse.mv.db"));
        for (String stored : rows.values()) {
            assertThat(stored).doesNotStartWith("{").doesNotContain("\"d\"");
            JWEObject jwe = JWEObject.parse(stored);
            assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.DIR);
            assertThat(jwe.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
            // the key-encryption key opens it; the private exponent appears nowhere in the database file
            JWK key = kek.open(stored);
            String d = key.toRSAKey().getPrivateExponent().toString();
            assertThat(new String(database, StandardCharsets.ISO_8859_1)).doesNotContain(d);
        }
    }

    @Test
    @Tag("SEC10-2")
    void a_copy_of_the_database_alone_starts_nothing_and_makes_no_new_keys() throws Exception {
        Path dataDir = temp.resolve("gatehouse-data");
        try (RunningGatehouse gatehouse = embedded(dataDir)) {
            aliceToken(gatehouse);
        }
        Map<String, String> before = storedKeys(dataDir);
        // the attacker's machine: the database directory copied, without the key-encryption key
        Path stolen = temp.resolve("stolen-data");
        Files.createDirectories(stolen.resolve("as"));
        try (Stream<Path> files = Files.list(dataDir.resolve("as"))) {
            for (Path file : files.toList()) {
                Files.copy(file, stolen.resolve("as").resolve(file.getFileName()));
            }
        }
        assertThatThrownBy(() -> embedded(stolen)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Cannot read the signing keys").hasMessageContaining("key-encryption key")
                .hasMessageContaining("gh_signing_keys");
        assertThat(storedKeys(stolen)).isEqualTo(before);
        assertThat(stolen.resolve("kek")).as("the key generated for the failed start is not left behind").doesNotExist();
    }

    @Test
    @Tag("SEC10-2")
    void a_key_encryption_key_file_other_users_can_read_stops_the_start() throws Exception {
        // outside the data directory (whose own files are narrowed at start), e.g. on a mounted secrets volume
        Path dataDir = temp.resolve("gatehouse-data");
        Path kek = temp.resolve("secrets").resolve("gatehouse.kek");
        Files.createDirectories(kek.getParent());
        Files.writeString(kek, KeyEncryptionKey.generate().toText() + "\n");
        Files.setPosixFilePermissions(kek, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> embedded(dataDir, "key-encryption-key-file", kek.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("readable by other users").hasMessageContaining("chmod 600");
    }

    @Test
    @Tag("SEC10-2")
    void a_database_password_in_the_url_is_never_shown_in_a_start_error() {
        assertThatThrownBy(() -> embedded(temp.resolve("gatehouse-data"), "database-url",
                "jdbc:h2:tcp://127.0.0.1:1/nowhere;PASSWORD=hunter2-secret;Pwd=other-secret"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Cannot open the authorization server's database")
                .hasMessageNotContaining("hunter2-secret").hasMessageNotContaining("other-secret");
    }

    @Test
    @Tag("SEC10-2")
    void a_server_given_another_key_encryption_key_refuses_to_start_and_the_right_one_still_opens_the_keys() throws Exception {
        Path dataDir = temp.resolve("gatehouse-data");
        String first = KeyEncryptionKey.generate().toText();
        List<String> published;
        try (RunningGatehouse gatehouse = embedded(dataDir, "key-encryption-key", first)) {
            published = publishedKeyIds(gatehouse);
        }
        assertThat(dataDir.resolve("kek")).as("a configured key needs no file").doesNotExist();
        Map<String, String> before = storedKeys(dataDir);
        String other = KeyEncryptionKey.generate().toText();
        assertThatThrownBy(() -> embedded(dataDir, "key-encryption-key", other)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("encrypted with key-encryption key " + KeyEncryptionKey.fromText(first).id())
                .hasMessageNotContaining(first).hasMessageNotContaining(other);
        assertThat(storedKeys(dataDir)).isEqualTo(before);
        try (RunningGatehouse gatehouse = embedded(dataDir, "key-encryption-key", first)) {
            assertThat(publishedKeyIds(gatehouse)).isEqualTo(published);
        }
    }

    @Test
    @Tag("SEC10-2")
    void signing_keys_an_earlier_version_stored_in_plain_text_still_load_and_are_encrypted_at_start() throws Exception {
        Path dataDir = temp.resolve("gatehouse-data");
        List<String> published;
        try (RunningGatehouse gatehouse = embedded(dataDir)) {
            published = publishedKeyIds(gatehouse);
        }
        KeyEncryptionKey kek = KeyEncryptionKey.fromText(Files.readString(dataDir.resolve("kek")));
        try (Connection c = DriverManager.getConnection(JdbcStores.h2Url(dataDir));
             PreparedStatement update = c.prepareStatement("UPDATE gh_signing_keys SET jwk = ? WHERE kid = ?")) {
            for (Map.Entry<String, String> row : storedKeys(c).entrySet()) {
                update.setString(1, kek.open(row.getValue()).toJSONString());
                update.setString(2, row.getKey());
                update.executeUpdate();
            }
        }
        assertThat(storedKeys(dataDir).values()).allMatch(v -> v.startsWith("{"));
        try (RunningGatehouse gatehouse = embedded(dataDir)) {
            assertThat(publishedKeyIds(gatehouse)).isEqualTo(published);
            aliceToken(gatehouse);
        }
        assertThat(storedKeys(dataDir).values()).allSatisfy(v -> assertThat(v).doesNotStartWith("{").doesNotContain("\"d\""));
    }

    // ---- finding 6: control characters from clients in the log

    @Test
    @Tag("SEC10-6")
    void control_characters_sent_by_clients_never_reach_the_log_raw() throws Exception {
        String text;
        try (CapturedLog log = new CapturedLog(); RunningGatehouse gatehouse = embedded(temp.resolve("gatehouse-data"))) {
            URI base = base(gatehouse);
            String token = aliceToken(gatehouse);

            // a registration whose client_name carries a line of its own
            http.send(HttpRequest.newBuilder(base.resolve("/oauth/register")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(OAuthTestDriver.JSON.writeValueAsString(Map.of(
                            "client_name", "evil\n" + FORGED, "redirect_uris", List.of(REDIRECT),
                            "token_endpoint_auth_method", "none", "application_type", "native")))).build(),
                    HttpResponse.BodyHandlers.ofString());

            // a login attempt whose username does
            OAuthTestDriver driver = new OAuthTestDriver(base);
            String clientId = driver.register(REDIRECT).path("client_id").asString();
            HttpResponse<String> loginPage = driver.authorize(clientId, REDIRECT, VERIFIER, "mcp:read");
            HttpResponse<String> failed = post(base, "/oauth/login", Map.of("request", field(loginPage.body(), "request"),
                    "username", "alice\n" + FORGED, "password", "wrong"));
            assertThat(failed.statusCode()).isEqualTo(401);

            // authorization requests whose client_id does, plain and as a metadata document URL
            for (String evilId : List.of("x\r\n" + FORGED, "https://client.example.com/\r\n" + FORGED + "\u2028\u001b[2J",
                    "x\u2029" + FORGED + "\u0085\u001b]0;title\u0007")) {
                http.send(HttpRequest.newBuilder(base.resolve("/oauth/authorize?" + OAuthTestDriver.form(Map.of("response_type", "code",
                        "client_id", evilId, "redirect_uri", REDIRECT, "code_challenge", "x".repeat(43),
                        "code_challenge_method", "S256", "state", "s")))).GET().build(), HttpResponse.BodyHandlers.ofString());
            }

            // an MCP client whose name does, with a terminal escape on top
            McpReply initialized = gatehouse.client().header("Authorization", "Bearer " + token).call("initialize", Map.of(
                    "protocolVersion", McpTestClient.PROTOCOL_VERSION, "capabilities", Map.of(),
                    "clientInfo", Map.of("name", "evil\r\n" + FORGED + "\u001b[31m", "version", "1\n" + FORGED)));
            assertThat(initialized.status()).isEqualTo(200);
            text = log.text();
        }

        // the values were logged (escaped by the log layout; the MCP client name is already cut to safe characters when
        // the session stores it), and none of them started a line or left a raw control character
        assertThat(text).contains("Failed login for user alice\\n" + FORGED, "client evil??" + FORGED + "?[31m");
        assertThat(text.lines()).noneMatch(line -> line.startsWith(FORGED) || line.startsWith("2026-01-01"));
        assertThat(text.lines().filter(line -> line.contains(FORGED)))
                .allMatch(line -> line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"));
        for (char c : text.toCharArray()) {
            boolean allowed = c == '\n' || c == '\t' || !(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029');
            assertThat(allowed).as("raw control character U+%04X in the log", (int) c).isTrue();
        }
        assertThat(text.lines()).filteredOn(line -> line.contains("\t")).allMatch(line -> line.startsWith("\t"));
    }

    // ---- finding 13: what /health tells an anonymous caller

    @Test
    @Tag("SEC10-13")
    void public_health_says_only_whether_the_server_serves_and_the_details_are_on_the_loopback_management_listener() throws Exception {
        try (RunningGatehouse gatehouse = embedded(temp.resolve("gatehouse-data"), "management-port", "0")) {
            String token = aliceToken(gatehouse);
            gatehouse.client().header("Authorization", "Bearer " + token).initialize();

            McpReply health = gatehouse.client().raw("GET", "/health", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().toString()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(health.body()).doesNotContain(Version.get(), "localhost", "sessions", "issuer");

            JsonNode details = gatehouse.managementHealth();
            assertThat(details.path("status").asString()).isEqualTo("ok");
            assertThat(details.path("version").asString()).isEqualTo(Version.get());
            assertThat(details.path("sessions").asInt()).isEqualTo(1);
            assertThat(details.path("resourceServer").path("issuer").asString()).isEqualTo(base(gatehouse).toString());
            assertThat(details.toString()).doesNotContain(PASSWORD, token);
        }
        try (RunningGatehouse gatehouse = embedded(temp.resolve("gatehouse-data"))) {
            assertThat(gatehouse.gatehouse.managementPort()).as("no management listener unless asked for").isEmpty();
        }
    }

    // ---- helpers

    static void assertOwnerOnly(Path root) throws Exception {
        List<String> seen = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                seen.add(root.relativize(path) + " " + mode);
                assertThat(mode).as("mode of %s", path).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
            }
        }
        assertThat(seen).as("what was checked").hasSizeGreaterThan(1);
    }

    static List<String> publishedKeyIds(RunningGatehouse gatehouse) throws Exception {
        McpReply jwks = gatehouse.client().raw("GET", "/oauth/jwks", null);
        return JWKSet.parse(jwks.body()).getKeys().stream().map(JWK::getKeyID).toList();
    }

    static Map<String, String> storedKeys(Path dataDir) throws Exception {
        try (Connection c = DriverManager.getConnection(JdbcStores.h2Url(dataDir))) {
            return storedKeys(c);
        }
    }

    static Map<String, String> storedKeys(Connection c) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (PreparedStatement query = c.prepareStatement("SELECT kid, jwk FROM gh_signing_keys ORDER BY created_at");
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }

    HttpResponse<String> post(URI base, String path, Map<String, String> form) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base.toString()).POST(HttpRequest.BodyPublishers.ofString(OAuthTestDriver.form(form))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("a %s field in %s", name, html).isTrue();
        return m.group(1).replace("&amp;", "&");
    }
}
