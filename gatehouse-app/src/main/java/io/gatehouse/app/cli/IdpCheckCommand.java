package io.gatehouse.app.cli;

import io.gatehouse.client.audit.Check;
import io.gatehouse.client.audit.FederatedLoginAdvice;
import io.gatehouse.client.audit.IdpAudit;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.ResourceMetadataLookup;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ObjectNode;

/** {@code gatehouse idp-check}: an identity provider measured against the MCP authorization requirements. */
@Command(name = "idp-check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure an identity provider against what MCP asks of an authorization server: metadata discovery,",
                "PKCE S256 (advertised and enforced), dynamic registration, client ID metadata documents, RFC 8707,",
                "RFC 9207 iss, CORS for browser clients.",
                "When MCP clients cannot use an OpenID provider as it is, it prints the fix: federated login (a ready login: section).",
                "Exit code: 0 usable by MCP clients as it is, 3 usable with Gatehouse's bridge, 1 not usable."},
        footer = {"", "Examples:", "  gatehouse idp-check http://localhost:8080/realms/mcp --register",
                "  gatehouse idp-check http://localhost:9000/mcp      # an MCP URL: its authorization server is found first",
                "  gatehouse idp-check ISSUER --client-id svc --client-secret ... --resource http://localhost:9000/mcp"})
public final class IdpCheckCommand implements Callable<Integer> {

    static final int USABLE_WITH_BRIDGE = 3;

    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "ISSUER-OR-MCP-URL")
    String target;
    @Option(names = "--register", description = "Actually try dynamic registration (a test client, removed afterwards where possible).")
    boolean register;
    @Option(names = "--client-id", paramLabel = "ID", description = "A confidential client allowed client_credentials, to measure RFC 8707.")
    String clientId;
    @Option(names = "--client-secret", paramLabel = "SECRET", description = "Its secret (or GATEHOUSE_CLIENT_SECRET).")
    String clientSecret;
    @Option(names = "--resource", paramLabel = "URL", description = "The resource to request when measuring RFC 8707 "
            + "(default: the MCP URL when one is given).")
    String resource;
    @Option(names = "--scope", paramLabel = "SCOPES", description = "Scopes to request with the client credentials when measuring RFC 8707.")
    String scope;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Http http = new Http();
        ResourceMetadataLookup.Target resolved = ResourceMetadataLookup.resolve(http, target);
        Optional<String> secret = Optional.ofNullable(clientSecret).or(() -> Optional.ofNullable(System.getenv("GATEHOUSE_CLIENT_SECRET")));
        IdpAudit.Report report = new IdpAudit(http).run(resolved.issuer(), new IdpAudit.Inputs(Optional.ofNullable(clientId), secret,
                Optional.ofNullable(resource).or(resolved::resource), Optional.ofNullable(scope), register));
        PrintWriter out = spec.commandLine().getOut();
        Optional<FederatedLoginAdvice> advice = FederatedLoginAdvice.forReport(report);
        if (json) {
            ObjectNode root = Http.JSON.createObjectNode();
            root.put("issuer", report.issuer());
            root.put("verdict", report.verdict().name().toLowerCase(Locale.ROOT));
            var checks = root.putArray("checks");
            for (Check c : report.checks()) {
                ObjectNode row = checks.addObject();
                row.put("id", c.id());
                row.put("name", c.name());
                row.put("result", c.result().name().toLowerCase(Locale.ROOT));
                row.put("detail", c.detail());
            }
            advice.ifPresent(a -> {
                ObjectNode fix = root.putObject("recommendation");
                fix.put("mode", "federated-login");
                fix.put("provider", a.provider());
                a.rolesClaim().ifPresent(claim -> fix.put("roles-claim", claim));
                fix.put("register", a.register());
                fix.put("roles", a.claimsNote());
                fix.put("config", a.snippet());
            });
            out.println(Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            out.println("Identity provider " + report.issuer());
            out.printf("%-44s %-13s %s%n", "Check", "Result", "Detail");
            for (Check c : report.checks()) {
                out.printf("%-44s %-13s %s%n", c.name(), c.result().name().replace('_', ' ').toLowerCase(Locale.ROOT), c.detail());
            }
            out.println("Verdict: " + switch (report.verdict()) {
                case USABLE -> "usable by MCP clients as it is";
                case USABLE_WITH_BRIDGE -> "usable with Gatehouse's bridge (see the rows marked no)";
                case NOT_USABLE -> "not usable for MCP (see the rows marked no)";
            });
            advice.ifPresent(a -> {
                out.println();
                out.println("Fix: federated login. Gatehouse's own authorization server is what MCP clients use (registration,");
                out.println("PKCE, resource indicators), and your users sign in at this " + a.provider() + ". Register there "
                        + a.register() + ".");
                out.println("Roles: " + a.claimsNote() + ". Then in gatehouse.yaml:");
                out.println();
                out.print(a.snippet());
            });
        }
        return switch (report.verdict()) {
            case USABLE -> ExitCodes.OK;
            case USABLE_WITH_BRIDGE -> USABLE_WITH_BRIDGE;
            case NOT_USABLE -> ExitCodes.FAILURE;
        };
    }
}
