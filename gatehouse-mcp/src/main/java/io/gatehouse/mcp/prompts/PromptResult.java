package io.gatehouse.mcp.prompts;

import java.util.List;

/**
 * The result of {@code prompts/get}: the messages to put before the model.
 *
 * @param description a short description of the result, or null
 * @param messages    the messages, in order
 */
public record PromptResult(String description, List<PromptMessage> messages) {
    public PromptResult {
        messages = List.copyOf(messages);
    }

    /** A result with these messages. */
    public static PromptResult of(String description, PromptMessage... messages) {
        return new PromptResult(description, List.of(messages));
    }
}
