package io.gatehouse.mcp.content;

import java.util.Base64;

/**
 * The contents of a resource as read or embedded: exactly one of {@code text} or {@code blob} (base64) is set.
 *
 * @param uri      the resource's URI
 * @param mimeType its MIME type, or null
 * @param text     the text, or null for binary contents
 * @param blob     the bytes in base64, or null for text contents
 */
public record ResourceContents(String uri, String mimeType, String text, String blob) {

    public ResourceContents {
        if ((text == null) == (blob == null)) {
            throw new IllegalArgumentException("exactly one of text or blob must be set");
        }
    }

    /** Text contents. */
    public static ResourceContents text(String uri, String mimeType, String text) {
        return new ResourceContents(uri, mimeType, text, null);
    }

    /** Binary contents, base64-encoded here. */
    public static ResourceContents blob(String uri, String mimeType, byte[] data) {
        return new ResourceContents(uri, mimeType, null, Base64.getEncoder().encodeToString(data));
    }
}
