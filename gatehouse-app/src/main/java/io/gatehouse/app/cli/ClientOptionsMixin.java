package io.gatehouse.app.cli;

import io.gatehouse.server.internal.Version;
import io.gatehouse.client.mcp.McpClient;
import io.gatehouse.client.mcp.ProtocolVersions;
import io.gatehouse.client.oauth.ClientOptions;
import io.gatehouse.client.oauth.CredentialStore;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import io.gatehouse.client.oauth.OAuthClientException;
import io.gatehouse.client.oauth.UrlOpener;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every client command shares: how to register, what to ask for, how to reach the user. */
public final class ClientOptionsMixin {

    @Option(names = "--client-id", paramLabel = "ID", description = "A pre-registered client id (skips registration).")
    String clientId;
    @Option(names = "--client-secret", paramLabel = "SECRET", description = "Its secret, for a confidential client "
            + "(prefer GATEHOUSE_CLIENT_SECRET: flags are visible to other local users).")
    String clientSecret;
    @Option(names = "--client-metadata-url", paramLabel = "URL", description = "An https client ID metadata document to use as client id.")
    String clientMetadataUrl;
    @Option(names = "--scope", paramLabel = "SCOPES", description = "Scopes to request (default: what the server asks for).")
    String scope;
    @Option(names = "--no-resource", description = "Do not send the RFC 8707 resource parameter (for providers that reject it).")
    boolean noResource;
    @Option(names = "--client-credentials", description = "Machine login with the client credentials grant (needs --client-id and a secret).")
    boolean clientCredentials;
    @Option(names = "--browser", paramLabel = "CMD", description = "Command that opens the authorization URL (default: $BROWSER, "
            + "else xdg-open, else the URL is printed). Run without a shell.")
    String browser;
    @Option(names = "--non-interactive", description = "Fail instead of asking the user to log in.")
    boolean nonInteractive;
    @Option(names = "--credentials-file", paramLabel = "FILE", description = "Where registrations and tokens are kept "
            + "(default: ~/.config/gatehouse/credentials.json, mode 600).")
    Path credentialsFile;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "How long to wait for the login (default 300).")
    int timeoutSeconds;
    @Option(names = "--protocol-version", paramLabel = "VERSION", description = "Speak only this MCP revision (2026-07-28, 2025-11-25, "
            + "2025-06-18 or 2025-03-26); default: 2026-07-28 when the server speaks it, else 2025-11-25.")
    String protocolVersion;

    McpAuthorizer authorizer(PrintWriter err) {
        return authorizer(err, opener(err));
    }

    McpAuthorizer authorizer(PrintWriter err, UrlOpener opener) {
        Optional<String> secret = Optional.ofNullable(clientSecret).or(() -> Optional.ofNullable(System.getenv("GATEHOUSE_CLIENT_SECRET")));
        ClientOptions options = new ClientOptions(Optional.ofNullable(clientId), secret, Optional.ofNullable(clientMetadataUrl),
                Optional.ofNullable(scope), !noResource, clientCredentials, opener, Duration.ofSeconds(timeoutSeconds), "Gatehouse CLI");
        return new McpAuthorizer(new Http(), new CredentialStore(credentialsFile != null ? credentialsFile : CredentialStore.defaultFile()),
                options, Clock.systemUTC());
    }

    McpClient client(URI url, PrintWriter err) {
        if (protocolVersion != null && !ProtocolVersions.SUPPORTED.contains(protocolVersion)) {
            throw new OAuthClientException("--protocol-version must be one of " + String.join(", ", ProtocolVersions.SUPPORTED)
                    + ", not " + protocolVersion);
        }
        McpClient.Settings settings = new McpClient.Settings(Optional.ofNullable(protocolVersion), "gatehouse-cli", Version.get(),
                CliInputResponder.forTerminal(Path.of("").toAbsolutePath(), nonInteractive ? Optional.empty() : Optional.ofNullable(System.console()), err));
        return new McpClient(url, new Http(), authorizer(err), settings);
    }

    private UrlOpener opener(PrintWriter err) {
        if (nonInteractive) {
            return url -> {
                throw new OAuthClientException("a login is needed; run 'gatehouse login' first (or drop --non-interactive)");
            };
        }
        String command = browser != null ? browser : System.getenv("BROWSER");
        if (command != null && !command.isBlank()) {
            return announce(err, UrlOpener.command(Arrays.asList(command.strip().split("\\s+")), err));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "xdg-open")) && System.getenv("DISPLAY") != null) {
                return announce(err, UrlOpener.command(List.of("xdg-open"), err));
            }
        }
        return UrlOpener.print(err);
    }

    private static UrlOpener announce(PrintWriter err, UrlOpener opener) {
        return url -> {
            err.println("Opening your browser to log in (waiting for the redirect to this computer)...");
            err.flush();
            opener.open(url);
        };
    }
}
