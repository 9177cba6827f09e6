package io.gatehouse.mcp.content;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Base64;
import java.util.Objects;

/**
 * A content block in a tool result or a prompt message (MCP 2025-11-25 {@code ContentBlock}): text, image,
 * audio, a link to a resource, or an embedded resource.
 */
@JsonPropertyOrder({"type"})
public sealed interface Content {

    @JsonProperty("type")
    String type();

    static Text text(String text) {
        return new Text(text);
    }

    static Image image(byte[] data, String mimeType) {
        return new Image(Base64.getEncoder().encodeToString(data), mimeType);
    }

    static Audio audio(byte[] data, String mimeType) {
        return new Audio(Base64.getEncoder().encodeToString(data), mimeType);
    }

    static Embedded resource(ResourceContents contents) {
        return new Embedded(contents);
    }

    record Text(String text) implements Content {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "text";
        }
    }

    /** {@code data} is base64. */
    record Image(String data, String mimeType) implements Content {
        @Override
        public String type() {
            return "image";
        }
    }

    /** {@code data} is base64. */
    record Audio(String data, String mimeType) implements Content {
        @Override
        public String type() {
            return "audio";
        }
    }

    record ResourceLink(String uri, String name, String description, String mimeType) implements Content {
        @Override
        public String type() {
            return "resource_link";
        }
    }

    record Embedded(ResourceContents resource) implements Content {
        @Override
        public String type() {
            return "resource";
        }
    }
}
