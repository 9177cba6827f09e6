package io.gatehouse.app;

import io.gatehouse.mcp.context.DownstreamToken;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolExecutionException;
import io.gatehouse.mcp.tools.ToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The tool a library user would write to call an API as the user: {@code report} takes a token for the downstream
 * named {@code downstream} from {@code ctx.downstreamToken}, calls {@code url} with it, and answers what the API said.
 * It never sees the caller's MCP token.
 */
final class DownstreamReportTool {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Args(String downstream) {
    }

    private DownstreamReportTool() {
    }

    static Tool report(URI url) {
        return Tool.builder("report").description("Reads a report from a downstream API as the calling user").requiredScopes("mcp:read")
                .handler(Args.class, (args, ctx) -> {
                    DownstreamToken token = ctx.downstreamToken(args.downstream());
                    try {
                        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                                .header("Authorization", token.authorizationHeader()).GET().build(), HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != 200) {
                            throw new ToolExecutionException("the reports API answered HTTP " + answer.statusCode());
                        }
                        return ToolResult.text(answer.body());
                    } catch (java.io.IOException e) {
                        throw new ToolExecutionException("the reports API cannot be reached");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ToolExecutionException("interrupted");
                    }
                });
    }
}
