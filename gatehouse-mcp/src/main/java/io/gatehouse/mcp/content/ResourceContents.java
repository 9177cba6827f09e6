package io.gatehouse.mcp.content;

import java.util.Base64;

/**
 * The contents of a resource as read or embedded: exactly one of {@code text} or {@code blob} (base64) is set.
 */
public record ResourceContents(String uri, String mimeType, String text, String blob) {

    public ResourceContents {
        if ((text == null) == (blob == null)) {
            throw new IllegalArgumentException("exactly one of text or blob must be set");
        }
    }

    public static ResourceContents text(String uri, String mimeType, String text) {
        return new ResourceContents(uri, mimeType, text, null);
    }

    public static ResourceContents blob(String uri, String mimeType, byte[] data) {
        return new ResourceContents(uri, mimeType, null, Base64.getEncoder().encodeToString(data));
    }
}
