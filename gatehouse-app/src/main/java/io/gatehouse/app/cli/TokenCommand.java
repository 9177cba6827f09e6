package io.gatehouse.app.cli;

import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.mcp.internal.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gatehouse token mint}: development access tokens for {@code --auth local-keys}. */
@Command(name = "token", description = "Access tokens: mint development tokens, or show the one held for a server.",
        mixinStandardHelpOptions = true,
        subcommands = {TokenCommand.Mint.class, TokenCommand.Show.class})
public final class TokenCommand {

    @Command(name = "mint", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Mint an access token signed with the local key, for a server run with --auth local-keys.",
                    "The token is printed on standard output; treat it as a password."},
            footer = {"", "Examples:",
                    "  gatehouse token mint --sub alice --username alice --scopes mcp:read,mcp:tools --roles user",
                    "  gatehouse token mint --demo     # alice, bob, admin and guest, as the tutorial"})
    static final class Mint implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--key", paramLabel = "FILE", defaultValue = "gatehouse-data/keys/signing-key.jwk",
                description = "Private signing key (default: ${DEFAULT-VALUE}).")
        Path key;
        @Option(names = "--sub", paramLabel = "SUBJECT", description = "Subject (sub).")
        String subject;
        @Option(names = "--username", paramLabel = "NAME", description = "preferred_username (default: the subject).")
        String username;
        @Option(names = "--scopes", paramLabel = "LIST", split = ",", description = "Comma-separated scopes, e.g. mcp:read,mcp:tools.")
        List<String> scopes = List.of();
        @Option(names = "--roles", paramLabel = "LIST", split = ",", description = "Comma-separated roles, e.g. user,admin.")
        List<String> roles = List.of();
        @Option(names = "--iss", paramLabel = "URL", defaultValue = "http://localhost:9000",
                description = "Issuer; must match the server's (default: ${DEFAULT-VALUE}).")
        String issuer;
        @Option(names = "--aud", paramLabel = "URL", defaultValue = "http://localhost:9000/mcp",
                description = "Audience: the server's canonical MCP URL (default: ${DEFAULT-VALUE}).")
        List<String> audience;
        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "PT1H", description = "Lifetime, ISO-8601 (default: 1 hour).")
        Duration ttl;
        @Option(names = "--demo", description = "Mint the tutorial's alice, bob, admin and guest tokens as JSON.")
        boolean demo;
        @Option(names = "--count", paramLabel = "N", defaultValue = "1",
                description = "Mint N distinct tokens (one per line) for the same grant, e.g. for load tests.")
        int count;

        @Override
        public Integer call() throws Exception {
            if (!Files.isReadable(key)) {
                spec.commandLine().getErr().println("No signing key at " + key + ". Create one with: gatehouse keys generate "
                        + "(or start 'gatehouse serve --auth local-keys' once), or pass --key FILE.");
                return ExitCodes.USAGE;
            }
            TokenMinter minter = new TokenMinter(LocalKeys.readPrivateKey(key));
            Instant now = Instant.now();
            if (demo) {
                ArrayNode tokens = Json.MAPPER.createArrayNode();
                for (TokenMinter.Grant grant : TokenMinter.demoGrants()) {
                    ObjectNode entry = tokens.addObject();
                    entry.put("user", grant.username());
                    entry.set("scopes", Json.MAPPER.valueToTree(grant.scopes()));
                    entry.set("roles", Json.MAPPER.valueToTree(grant.roles()));
                    entry.put("token", minter.mint(grant, issuer, audience, ttl, now));
                }
                spec.commandLine().getOut().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tokens));
                return ExitCodes.OK;
            }
            if (subject == null || subject.isBlank()) {
                spec.commandLine().getErr().println("Give the token's subject with --sub (or use --demo).");
                return ExitCodes.USAGE;
            }
            TokenMinter.Grant grant = new TokenMinter.Grant(subject, username == null ? subject : username,
                    clean(scopes), clean(roles));
            for (int i = 0; i < Math.max(1, count); i++) {
                spec.commandLine().getOut().println(minter.mint(grant, issuer, audience, ttl, now));
            }
            return ExitCodes.OK;
        }

        private static List<String> clean(List<String> values) {
            return values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).filter(v -> !v.isEmpty()).toList();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show the token held for an MCP server (refreshing it first if it expired).",
                    "This prints a secret: it is the only command that does."})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        ClientOptionsMixin options;
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "MCP-URL")
        java.net.URI url;

        @Override
        public Integer call() {
            var authorizer = options.authorizer(spec.commandLine().getErr());
            var token = authorizer.storedToken(url);
            if (token.isEmpty()) {
                spec.commandLine().getErr().println("No token for " + url + "; run: gatehouse login " + url);
                return ExitCodes.FAILURE;
            }
            var held = authorizer.tokens(url).orElseThrow();
            spec.commandLine().getErr().println("scope: " + held.scope() + "; expires: " + held.expiresAt()
                    + "; refresh token: " + (held.refreshToken().isPresent() ? "yes" : "no"));
            spec.commandLine().getOut().println(token.get());
            return ExitCodes.OK;
        }
    }
}
