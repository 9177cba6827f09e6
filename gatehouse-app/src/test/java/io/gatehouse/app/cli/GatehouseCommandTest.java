package io.gatehouse.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.app.Main;
import io.gatehouse.server.internal.config.ConfigKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GatehouseCommandTest {

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void help_lists_the_commands() {
        Run run = run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("serve", "gatehouse serve");
    }

    @Test
    void serve_help_explains_every_option_and_the_precedence() {
        Run run = run("serve", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--host", "--port", "--public-url", "--auth", "--session-mode", "--fixtures",
                "--data-dir", "--config", "--env", "--allowed-origin", "--allowed-host", "GATEHOUSE_PORT", "Precedence");
    }

    @Test
    @org.junit.jupiter.api.Tag("issue-15")
    void config_check_prints_every_effective_setting_with_its_source_and_masks_secrets(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("gatehouse.yaml"), """
                port: 9100
                database-password: "config-file-secret-123"
                demo-password: "another-secret-456"
                """);
        Run run = run("config", "check", "--config", config.toString(), "--auth", "none", "--data-dir", dir.resolve("data").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("The configuration is valid").containsPattern("port +9100 +\\[config file .*gatehouse.yaml\\]")
                .containsPattern("auth +none +\\[--auth\\]").containsPattern("session-mode +stateful +\\[default\\]")
                .containsPattern("database-password +\\*{8}").doesNotContain("config-file-secret-123", "another-secret-456");
        assertThat(ConfigKeys.all()).allSatisfy(key -> assertThat(run.out()).contains("  " + key.name() + " "));
    }

    @Test
    @org.junit.jupiter.api.Tag("attack")
    @org.junit.jupiter.api.Tag("issue-15")
    void config_check_masks_passwords_inside_urls_too(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Run run = run("config", "check", "--data-dir", dir.resolve("data").toString(),
                "--database-url", "jdbc:postgresql://db:5432/gatehouse?user=gh&password=db-pass-789&ssl=true",
                "--issuer", "https://idp.example.com", "--auth", "external",
                "--jwks-url", "https://reader:jwks-pass-321@idp.example.com/jwks");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("db-pass-789", "jwks-pass-321")
                .contains("jdbc:postgresql://db:5432/gatehouse?user=gh&password=********&ssl=true",
                        "https://reader:********@idp.example.com/jwks");
    }

    @Test
    @org.junit.jupiter.api.Tag("attack")
    void a_url_setting_refused_for_its_form_is_not_echoed_with_its_password() {
        Run run = run("config", "check", "--auth", "external", "--issuer", "https://idp.example.com",
                "--jwks-url", "https://reader:jwks-pass-321@idp.example.com/jwks?v=1");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Setting 'jwks-url'", "https://reader:********@idp.example.com/jwks?v=1")
                .doesNotContain("jwks-pass-321");
    }

    @Test
    @org.junit.jupiter.api.Tag("attack")
    void a_misspelled_flag_is_named_without_echoing_the_value_given_to_it() {
        Run spaced = run("config", "check", "--database-pasword", "hunter2-secret-one");
        Run joined = run("serve", "--key-encryption-kee=hunter2-secret-two");

        assertThat(spaced.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(spaced.err()).contains("--database-pasword").doesNotContain("hunter2-secret-one");
        assertThat(joined.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(joined.err()).contains("--key-encryption-kee").doesNotContain("hunter2-secret-two");
    }

    @Test
    @org.junit.jupiter.api.Tag("issue-15")
    void config_check_reports_the_scopes_section_and_refuses_a_wrong_one(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("good.yaml"), """
                scopes:
                  mcp:tools: Run the server's tools
                """);
        java.nio.file.Path bad = java.nio.file.Files.writeString(dir.resolve("bad.yaml"), """
                scopes:
                  mcp:tools: ""
                """);

        Run valid = run("config", "check", "--config", good.toString(), "--data-dir", dir.resolve("data").toString());
        Run invalid = run("config", "check", "--config", bad.toString(), "--data-dir", dir.resolve("data").toString());

        assertThat(valid.exitCode()).as(valid.err()).isZero();
        assertThat(valid.out()).contains("config file section scopes: present and valid");
        assertThat(invalid.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).contains("scopes.mcp:tools needs a description");
    }

    @Test
    @org.junit.jupiter.api.Tag("issue-15")
    void config_check_reports_an_invalid_configuration_with_exit_status_2() {
        Run run = run("config", "check", "--port", "abc");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("Configuration error: Setting 'port' (from --port) must be a whole number");
        assertThat(run.out()).doesNotContain("valid");
    }

    @Test
    void every_documented_setting_has_a_default_or_is_optional_and_a_description() {
        assertThat(ConfigKeys.all()).allSatisfy(key -> assertThat(key.description()).isNotBlank());
    }

    @Test
    void an_unknown_log_format_is_a_configuration_error_naming_the_choices() {
        Run run = run("serve", "--port", "0", "--auth", "none", "--log-format", "xml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("Configuration error: Setting 'log-format' (from --log-format) must be one of [text, json]");
    }

    @Test
    void a_configuration_error_is_a_message_and_exit_code_2_not_a_stack_trace() {
        Run run = run("serve", "--port", "abc");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("Configuration error: Setting 'port' (from --port)").doesNotContain("at io.gatehouse");
    }

    @Test
    void no_authentication_on_a_public_address_is_refused_before_binding() {
        Run run = run("serve", "--auth", "none", "--host", "0.0.0.0", "--port", "0");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("only on a loopback address");
    }

    @Test
    void a_port_in_use_is_reported_with_what_to_do() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run("serve", "--auth", "none", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.err()).contains("Cannot bind", "--port");
        }
    }

    @Test
    void an_unknown_option_is_a_usage_error() {
        Run run = run("serve", "--prot", "9000");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Unknown option");
    }
}
