package io.gatehouse.mcp.prompts;

import io.gatehouse.mcp.content.Content;

/**
 * One message of a prompt: a role ({@code user} or {@code assistant}) and one content block.
 *
 * @param role    {@code user} or {@code assistant}
 * @param content the message's content
 */
public record PromptMessage(String role, Content content) {

    public PromptMessage {
        if (!"user".equals(role) && !"assistant".equals(role)) {
            throw new IllegalArgumentException("role must be user or assistant: " + role);
        }
    }

    /** A text message from the user. */
    public static PromptMessage user(String text) {
        return new PromptMessage("user", Content.text(text));
    }

    /** A message from the user with any content block. */
    public static PromptMessage user(Content content) {
        return new PromptMessage("user", content);
    }

    /** A text message from the assistant. */
    public static PromptMessage assistant(String text) {
        return new PromptMessage("assistant", Content.text(text));
    }
}
