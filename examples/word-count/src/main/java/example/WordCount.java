package example;

import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptMessage;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.tools.Param;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import io.gatehouse.server.GatehouseServer;
import java.util.Arrays;
import java.util.Comparator;

/** An MCP server of its own behind Gatehouse's authorization: two tools, each with its own scope, and a prompt. */
public final class WordCount {

    public record Text(@Param(description = "The text to look at") String text) {
    }

    public static void main(String[] args) throws Exception {
        System.exit(GatehouseServer.builder()
                .name("word-count", "1.0")
                .tool(Tool.builder("word_count").description("Count the words of a text")
                        .requiredScopes("mcp:tools:words")
                        .handler(Text.class, (in, ctx) -> ToolResult.text(
                                ctx.caller().username() + ", your text has " + words(in.text()).length + " words")))
                .tool(Tool.builder("longest_word").description("Find the longest word of a text")
                        .requiredScopes("mcp:tools:words:analyze")
                        .handler(Text.class, (in, ctx) -> ToolResult.text(Arrays.stream(words(in.text()))
                                .max(Comparator.comparingInt(String::length)).orElse("(no words)"))))
                .prompt(Prompt.builder("summarize").description("Ask the model for a summary in ten words or fewer")
                        .argument("text", "The text to summarize", true)
                        .handler((arguments, ctx) -> PromptResult.of("A short summary",
                                PromptMessage.user("Summarize in ten words or fewer: " + arguments.get("text")))))
                .args(args)
                .execute());
    }

    static String[] words(String text) {
        return text.isBlank() ? new String[0] : text.strip().split("\\s+");
    }
}
