package io.gatehouse.mcp.tools;

import io.gatehouse.mcp.content.Content;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The result of {@code tools/call} ({@code CallToolResult}): content blocks, the structured result when the
 * tool declares an output schema, and whether it is an error the model should see. A handler returns one:
 *
 * <pre>{@code
 * return ToolResult.text("3 words");
 * return ToolResult.structured(new Count(3));           // with an output schema derived from Count
 * return ToolResult.error("the file is too large");     // a failure the model should see
 * }</pre>
 *
 * @param content           the content blocks
 * @param structuredContent the structured result, or null
 * @param isError           whether this reports a failure the model should see
 */
public record ToolResult(List<Content> content, JsonNode structuredContent, boolean isError) {

    public ToolResult {
        content = List.copyOf(content);
    }

    /** One text block. */
    public static ToolResult text(String text) {
        return new ToolResult(List.of(Content.text(text)), null, false);
    }

    /** These content blocks (text, image, audio, resource links, embedded resources). */
    public static ToolResult of(Content... content) {
        return new ToolResult(List.of(content), null, false);
    }

    /** A structured result with a text block for clients that predate {@code structuredContent}. */
    public static ToolResult structured(Object value, String text) {
        return new ToolResult(List.of(Content.text(text)), ToolJson.MAPPER.valueToTree(value), false);
    }

    /** A structured result whose text block is its JSON serialization. */
    public static ToolResult structured(Object value) {
        JsonNode node = ToolJson.MAPPER.valueToTree(value);
        return new ToolResult(List.of(Content.text(ToolJson.MAPPER.writeValueAsString(node))), node, false);
    }

    /** A failure the model should see ({@code isError: true}); the same as throwing {@link ToolExecutionException}. */
    public static ToolResult error(String message) {
        return new ToolResult(List.of(Content.text(message)), null, true);
    }
}
