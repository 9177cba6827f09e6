package io.gatehouse.as.federation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Binds a sign-in at the provider to the browser that started it. The browser holds a random binding value in an
 * HttpOnly cookie (never in a URL); the sign-in's {@code nonce} and PKCE {@code code_verifier} are HMAC-SHA256 of that
 * value over the sign-in's {@code state}, so they are derived, not stored: the store holds only hashes of the state and
 * the binding, a reader of the store can derive neither, and a callback arriving in another browser (a code injected
 * from another login) has another binding, so its nonce and verifier do not match.
 */
final class LoginBinding {

    private LoginBinding() {
    }

    static String nonce(String binding, String state) {
        return derive(binding, "gatehouse upstream nonce v1 " + state);
    }

    static String codeVerifier(String binding, String state) {
        return derive(binding, "gatehouse upstream pkce v1 " + state);
    }

    private static String derive(String binding, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(binding.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(label.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
