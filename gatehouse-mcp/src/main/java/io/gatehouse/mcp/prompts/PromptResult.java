package io.gatehouse.mcp.prompts;

import java.util.List;

/** The result of {@code prompts/get}. {@code description} may be null. */
public record PromptResult(String description, List<PromptMessage> messages) {
    public PromptResult {
        messages = List.copyOf(messages);
    }

    public static PromptResult of(String description, PromptMessage... messages) {
        return new PromptResult(description, List.of(messages));
    }
}
