package io.gatehouse.app.demo;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.tools.Param;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolAnnotations;
import io.gatehouse.mcp.tools.ToolResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * The tutorial's unbuilt "step 9": tools that know who is calling. Handlers receive the authenticated caller
 * from the request context and contain no authorization code; the admin-only tool only declares the role it
 * needs, and the access policy enforces it.
 */
public final class CallerTools {

    /** What {@code whoami} returns. */
    public record Identity(@Param(description = "Who vouched for the caller") String issuer,
                           @Param(description = "The caller's stable id") String subject,
                           @Param(description = "Display name") String username,
                           @Param(description = "The OAuth client acting for the caller") String clientId,
                           @Param(description = "Granted scopes") List<String> scopes,
                           @Param(description = "Roles") List<String> roles,
                           @Param(description = "When the credential expires (ISO 8601), empty if never") String expiresAt) {
    }

    public record UserEchoArguments(@Param(description = "Message to echo") String message) {
    }

    private CallerTools() {
    }

    public static void register(McpServer.Builder server, Clock clock) {
        Instant started = clock.instant();
        server.tool(Tool.builder("whoami")
                .title("Who am I")
                .description("Who the server thinks you are: subject, username, client, scopes, roles and token expiry.")
                .outputSchema(Identity.class)
                .annotations(ToolAnnotations.readOnly("Who am I"))
                .handler((args, ctx) -> ToolResult.structured(identity(ctx.caller()))));
        server.tool(Tool.builder("user_echo")
                .title("Echo, signed")
                .description("Echo a message, saying who sent it.")
                .annotations(ToolAnnotations.readOnly("Echo, signed"))
                .handler(UserEchoArguments.class, (args, ctx) ->
                        ToolResult.text(ctx.caller().username() + " said: " + args.message())));
        server.tool(Tool.builder("server_info")
                .title("Server information (admin)")
                .description("Runtime facts about this server: Java version, uptime, memory. Only for the admin role.")
                .requiredRoles("admin")
                .annotations(ToolAnnotations.readOnly("Server information"))
                .handler((args, ctx) -> {
                    Runtime runtime = Runtime.getRuntime();
                    return ToolResult.text("Java " + Runtime.version() + ", up " + Duration.between(started, clock.instant()).toSeconds()
                            + " s, heap " + (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024) + " MiB used of "
                            + runtime.maxMemory() / (1024 * 1024) + " MiB, " + runtime.availableProcessors() + " processors");
                }));
    }

    static Identity identity(Caller caller) {
        return new Identity(caller.issuer(), caller.subject(), caller.username(), caller.clientId(),
                List.copyOf(new TreeSet<>(caller.scopes())), List.copyOf(new TreeSet<>(caller.roles())),
                caller.expiresAt().equals(Instant.MAX) ? "" : caller.expiresAt().toString());
    }
}
