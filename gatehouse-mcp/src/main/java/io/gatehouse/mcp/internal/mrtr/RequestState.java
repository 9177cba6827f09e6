package io.gatehouse.mcp.internal.mrtr;

import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@code requestState} holds, sealed (M-4, M-5): the principal it was issued to, the request it belongs to
 * (method and {@link RequestDigest digest} of the salient params), when it expires, and the answers gathered in the
 * rounds so far, by input request key.
 *
 * @param principal the caller it was issued to: issuer, subject and OAuth client (or anonymous)
 * @param method    {@code tools/call}, {@code prompts/get} or {@code resources/read}
 * @param digest    {@link RequestDigest#of} the originating request
 * @param expiresAt after this instant the state is refused
 * @param answers   answers by input request key
 */
public record RequestState(String principal, String method, String digest, Instant expiresAt, ObjectNode answers) {

    public RequestState {
        answers = answers.deepCopy();
    }

    @Override
    public ObjectNode answers() {
        return answers.deepCopy();
    }
}
