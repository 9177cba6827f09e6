package io.gatehouse.mcp.prompts;

import io.gatehouse.mcp.content.Content;

/** One message of a prompt: a role ({@code user} or {@code assistant}) and one content block. */
public record PromptMessage(String role, Content content) {

    public PromptMessage {
        if (!"user".equals(role) && !"assistant".equals(role)) {
            throw new IllegalArgumentException("role must be user or assistant: " + role);
        }
    }

    public static PromptMessage user(String text) {
        return new PromptMessage("user", Content.text(text));
    }

    public static PromptMessage user(Content content) {
        return new PromptMessage("user", content);
    }

    public static PromptMessage assistant(String text) {
        return new PromptMessage("assistant", Content.text(text));
    }
}
