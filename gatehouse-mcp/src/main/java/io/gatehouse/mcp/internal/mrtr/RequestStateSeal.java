package io.gatehouse.mcp.internal.mrtr;

import io.gatehouse.mcp.internal.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seals a {@link RequestState} into the opaque {@code requestState} string and opens it again: AES-256-GCM (JCA) with
 * a random 96-bit nonce per seal, so the state is both confidential and integrity-protected (M-4). The form is
 * {@code gh1.} followed by base64url of nonce, ciphertext and tag. Anything that does not open (altered, truncated,
 * sealed with another key, not ours at all) is simply absent: the caller refuses it without saying why.
 */
public final class RequestStateSeal {

    private static final String PREFIX = "gh1.";
    /** Additional authenticated data: a state sealed for another purpose with the same key never opens here. */
    private static final byte[] PURPOSE = "io.gatehouse/mcp/requestState/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Longest {@code requestState} looked at; longer ones are refused without decoding. */
    static final int MAX_SEALED_CHARS = 1024 * 1024;

    private final RequestStateKey key;
    private final SecureRandom random = new SecureRandom();

    public RequestStateSeal(RequestStateKey key) {
        this.key = Objects.requireNonNull(key);
    }

    public String seal(RequestState state) {
        ObjectNode plain = Json.object();
        plain.put("p", state.principal());
        plain.put("m", state.method());
        plain.put("d", state.digest());
        plain.put("e", state.expiresAt().getEpochSecond());
        plain.set("a", state.answers());
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
            byte[] sealed = cipher.doFinal(Json.MAPPER.writeValueAsBytes(plain));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a requestState", e);
        }
    }

    /** The state inside {@code sealed}, or empty when it does not open with this key. Says nothing about its binding. */
    public Optional<RequestState> open(String sealed) {
        if (sealed == null || sealed.length() > MAX_SEALED_CHARS || !sealed.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            String text = sealed.substring(PREFIX.length());
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            // one spelling per state: the decoder ignores the unused low bits of the last character, so a state with
            // them changed would decode to the same bytes; such a string was not issued by this seal
            if (bytes.length < NONCE_BYTES + TAG_BITS / 8
                    || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
                return Optional.empty();
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, NONCE_BYTES));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return parse(Json.MAPPER.readTree(plain));
        } catch (IllegalArgumentException | GeneralSecurityException | JacksonException e) {
            return Optional.empty();
        }
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        SecretKey secret = key.secretKey();
        if (secret.getEncoded() == null || secret.getEncoded().length != 32) {
            throw new IllegalStateException("the requestState key must be 256 bits of AES");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, secret, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(PURPOSE);
        return cipher;
    }

    private static Optional<RequestState> parse(JsonNode plain) {
        JsonNode p = plain.get("p");
        JsonNode m = plain.get("m");
        JsonNode d = plain.get("d");
        JsonNode e = plain.get("e");
        JsonNode a = plain.get("a");
        if (p == null || !p.isString() || m == null || !m.isString() || d == null || !d.isString()
                || e == null || !e.canConvertToLong() || a == null || !a.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new RequestState(p.stringValue(), m.stringValue(), d.stringValue(),
                Instant.ofEpochSecond(e.longValue()), (ObjectNode) a));
    }
}
