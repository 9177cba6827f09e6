package io.gatehouse.app.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.mcp.completion.Completer;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptMessage;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.tools.Param;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolAnnotations;
import io.gatehouse.mcp.tools.ToolResult;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The tools and prompts of the "MCP Auth Step by Step" tutorial, done right: {@code echo} validates its
 * arguments and returns {@code structuredContent} matching its output schema, every name is looked up exactly,
 * and the prompts the tutorial's README promised ({@code greeting}, {@code help}) exist.
 */
public final class TutorialFeatures {

    /** Arguments of {@code echo}, as the tutorial's {@code EchoRequest}. */
    public record EchoArguments(
            @Param(title = "Message", description = "Message to echo") String message,
            @JsonProperty("repeat_count")
            @Param(title = "Repeat Count", description = "How many times to repeat the message", minimum = 1, maximum = 10,
                    defaultValue = "1") int repeatCount) {
    }

    /** The structured result of {@code echo}. */
    public record EchoOutput(@Param(description = "The echoed message") String text) {
    }

    private TutorialFeatures() {
    }

    public static void register(McpServer.Builder server, Clock clock) {
        List<Tool> tools = List.of(echo(), getTime(clock));
        tools.forEach(server::tool);
        server.prompt(Prompt.builder("echo_prompt")
                .title("Echo Prompt")
                .description("Echo prompt: asks the model to repeat a message")
                .argument("message", "Message", true)
                .handler((args, ctx) -> PromptResult.of("Echo prompt",
                        PromptMessage.user("Please repeat this message exactly: " + args.get("message")))));
        server.prompt(Prompt.builder("greeting")
                .title("Greeting")
                .description("A friendly greeting for someone")
                .argument("name", "Who to greet", true)
                .argument("style", "formal or casual (default casual)", false, Completer.of(List.of("casual", "formal")))
                .handler((args, ctx) -> {
                    String name = args.get("name");
                    String text = "formal".equals(args.get("style"))
                            ? "Write a formal greeting addressed to " + name + "."
                            : "Write a short, friendly greeting for " + name + ".";
                    return PromptResult.of("Greeting for " + name, PromptMessage.user(text));
                }));
        String toolList = tools.stream()
                .map(t -> "- " + t.name() + ": " + t.descriptor().path("description").asString(""))
                .collect(Collectors.joining("\n"));
        server.prompt(Prompt.builder("help")
                .title("Help")
                .description("What this server offers and how to use it")
                .handler((args, ctx) -> PromptResult.of("Gatehouse help", PromptMessage.user(
                        "You are connected to Gatehouse, an MCP server. Its tools:\n" + toolList
                                + "\nPrompts: echo_prompt (message), greeting (name, style), help."))));
    }

    static Tool echo() {
        return Tool.builder("echo")
                .title("Echo Tool")
                .description("Echo a message, repeated repeat_count times (1-10) with no separator.")
                .outputSchema(EchoOutput.class)
                .annotations(new ToolAnnotations("Echo Tool", true, false, true, false))
                .handler(EchoArguments.class, (args, ctx) -> {
                    String text = args.message().repeat(args.repeatCount());
                    return ToolResult.structured(new EchoOutput(text), text);
                });
    }

    static Tool getTime(Clock clock) {
        return Tool.builder("get_time")
                .title("Current Time")
                .description("The server's current time, in UTC (ISO 8601).")
                .annotations(new ToolAnnotations("Current Time", true, false, false, false))
                .handler((args, ctx) -> ToolResult.text("Current server time: "
                        + DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS))));
    }
}
