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

    /** The block's kind on the wire: {@code text}, {@code image}, {@code audio}, {@code resource_link}, {@code resource}. */
    @JsonProperty("type")
    String type();

    /** A text block. */
    static Text text(String text) {
        return new Text(text);
    }

    /** An image block; {@code data} is base64-encoded here. */
    static Image image(byte[] data, String mimeType) {
        return new Image(Base64.getEncoder().encodeToString(data), mimeType);
    }

    /** An audio block; {@code data} is base64-encoded here. */
    static Audio audio(byte[] data, String mimeType) {
        return new Audio(Base64.getEncoder().encodeToString(data), mimeType);
    }

    /** A resource embedded in the result. */
    static Embedded resource(ResourceContents contents) {
        return new Embedded(contents);
    }

    /** A text block. */
    record Text(String text) implements Content {
        /** Refuses a null text. */
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "text";
        }
    }

    /** An image block; {@code data} is base64. */
    record Image(String data, String mimeType) implements Content {
        @Override
        public String type() {
            return "image";
        }
    }

    /** An audio block; {@code data} is base64. */
    record Audio(String data, String mimeType) implements Content {
        @Override
        public String type() {
            return "audio";
        }
    }

    /** A link to a resource the client may read; {@code description} and {@code mimeType} may be null. */
    record ResourceLink(String uri, String name, String description, String mimeType) implements Content {
        @Override
        public String type() {
            return "resource_link";
        }
    }

    /** A resource embedded in the block. */
    record Embedded(ResourceContents resource) implements Content {
        @Override
        public String type() {
            return "resource";
        }
    }
}
