package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.NodeTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code gatehouse login} and {@code gatehouse tools call} against {@code gatehouse serve} (embedded
 * authorization server), headless: the "browser" is a script that signs in on the login page, consents, and
 * delivers the redirect to the CLI's loopback listener. Tokens are kept across CLI runs and refreshed silently.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("interop")
class CliLoginTest {

    static final String PASSWORD = "cli-demo-password";
    static RunningGatehouse gatehouse;
    static Path browser;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD, "access-token-ttl", "32s",
                "data-dir", Files.createTempDirectory("gatehouse-cli").toString());
        Path scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        Files.copy(Path.of("src/test/node/browser-login.mjs"), scripts.resolve("browser-login.mjs"), StandardCopyOption.REPLACE_EXISTING);
        browser = Files.createTempFile("gatehouse-cli-browser", ".sh");
        Files.writeString(browser, "#!/bin/sh\nGATEHOUSE_USER=alice GATEHOUSE_PASSWORD=" + PASSWORD + " exec '" + NodeTools.node22()
                + "' '" + scripts.resolve("browser-login.mjs") + "' \"$1\" >/dev/null 2>&1 &\n");
        browser.toFile().setExecutable(true);
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    private static Run gatehouseCli(Path credentials, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--credentials-file", credentials.toString()));
        return new Run(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    @Tag("CL-04")
    @Tag("CL-03")
    void login_then_call_a_tool_and_the_tokens_outlive_the_cli_and_refresh_silently() throws Exception {
        Path credentials = Files.createTempDirectory("gatehouse-cli-home").resolve("credentials.json");
        String url = gatehouse.mcpUrl().toString();
        Run login = gatehouseCli(credentials, "login", url, "--browser", browser.toString(), "--timeout", "60");
        assertThat(login.exitCode()).as(login.err()).isZero();
        assertThat(login.out()).contains("Logged in to gatehouse");
        assertThat(Files.getPosixFilePermissions(credentials)).hasSize(2).allMatch(p -> p.name().startsWith("OWNER"));
        assertThat(login.out() + login.err()).doesNotContain(Files.readString(credentials).replaceAll("(?s).*\"access_token\" : \"([^\"]+)\".*", "$1"));

        Run call = gatehouseCli(credentials, "tools", "call", url, "whoami", "--json", "--non-interactive");
        assertThat(call.exitCode()).as(call.err()).isZero();
        assertThat(call.out()).contains("\"username\" : \"alice\"").contains("mcp:tools");

        Run tools = gatehouseCli(credentials, "tools", "list", url, "--non-interactive");
        assertThat(tools.exitCode()).as(tools.err()).isZero();
        assertThat(tools.out()).containsPattern("(?m)^echo +\\S").contains("whoami");
        // a tool that needs a role alice lacks: the 403 names no scope a new login could add, so it is reported at once
        Path opened = Files.createTempDirectory("gatehouse-cli-opened").resolve("opened");
        Path recordingBrowser = Files.createTempFile("gatehouse-cli-recording-browser", ".sh");
        Files.writeString(recordingBrowser, "#!/bin/sh\necho \"$1\" > '" + opened + "'\n");
        recordingBrowser.toFile().setExecutable(true);
        Run adminTool = gatehouseCli(credentials, "tools", "call", url, "server_info", "--browser", recordingBrowser.toString(),
                "--timeout", "30");
        assertThat(adminTool.exitCode()).as(adminTool.err()).isEqualTo(1);
        assertThat(adminTool.err()).contains("refused access (403)", "The tool server_info requires the role admin");
        assertThat(opened).as("no login was opened").doesNotExist();

        Run prompts = gatehouseCli(credentials, "prompts", "list", url, "--json", "--non-interactive");
        assertThat(prompts.exitCode()).as(prompts.err()).isZero();
        assertThat(prompts.out()).contains("\"name\" : \"greeting\"");

        Thread.sleep(3_000);
        String before = Files.readString(credentials);
        Run afterExpiry = gatehouseCli(credentials, "tools", "call", url, "echo", "--arg", "message=hi", "--arg", "repeat_count=2",
                "--non-interactive");
        assertThat(afterExpiry.exitCode()).as(afterExpiry.err()).isZero();
        assertThat(afterExpiry.out().strip()).isEqualTo("hihi");
        assertThat(Files.readString(credentials)).as("the access token was refreshed").isNotEqualTo(before);

        Run show = gatehouseCli(credentials, "token", "show", url);
        assertThat(show.exitCode()).isZero();
        assertThat(show.out().strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

        Run logout = gatehouseCli(credentials, "logout", url);
        assertThat(logout.out()).contains("Logged out");
        Run afterLogout = gatehouseCli(credentials, "tools", "list", url, "--non-interactive");
        assertThat(afterLogout.exitCode()).isEqualTo(1);
        assertThat(afterLogout.err()).contains("login");
    }
}
