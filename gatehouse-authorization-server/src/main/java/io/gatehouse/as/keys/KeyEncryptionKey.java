package io.gatehouse.as.keys;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import java.text.ParseException;
import java.util.Base64;

/**
 * The key that encrypts the signing keys' private halves where they are stored, so that a copy of the database
 * alone signs nothing. A stored key is a compact JWE ({@code alg: dir}, {@code enc: A256GCM}, by Nimbus) whose
 * payload is the JWK; its {@code kid} header names the key-encryption key (its RFC 7638 thumbprint, which reveals
 * nothing of it), so a wrong one is recognised and reported rather than producing garbage. 256 bits, written as
 * base64 or base64url text.
 */
public final class KeyEncryptionKey {

    private static final int BYTES = 32;
    private final OctetSequenceKey key;
    private final String id;

    private KeyEncryptionKey(OctetSequenceKey key) {
        this.key = key;
        try {
            this.id = key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot compute the key-encryption key's thumbprint", e);
        }
    }

    /** A new random key. */
    public static KeyEncryptionKey generate() {
        try {
            return new KeyEncryptionKey(new OctetSequenceKeyGenerator(BYTES * 8).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a key-encryption key", e);
        }
    }

    /**
     * The key written as text ({@code openssl rand -base64 32}, or what {@link #toText} wrote).
     *
     * @throws IllegalArgumentException when it is not 32 bytes of base64 or base64url (the message never quotes it)
     */
    public static KeyEncryptionKey fromText(String text) {
        String trimmed = text.strip();
        byte[] bytes;
        try {
            bytes = trimmed.contains("+") || trimmed.contains("/") ? Base64.getDecoder().decode(trimmed)
                    : Base64.getUrlDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a key-encryption key is 32 random bytes in base64 (openssl rand -base64 32); "
                    + "this one is not valid base64");
        }
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a key-encryption key is 32 random bytes in base64 (openssl rand -base64 32); "
                    + "this one has " + bytes.length + " bytes");
        }
        return new KeyEncryptionKey(new OctetSequenceKey.Builder(bytes).build());
    }

    /** The key as base64url text, for a key file. */
    public String toText() {
        return key.getKeyValue().toString();
    }

    /** A name for the key that reveals nothing of it: its RFC 7638 thumbprint. */
    public String id() {
        return id;
    }

    /** The JWK encrypted under this key, as a compact JWE. */
    public String seal(JWK jwk) {
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(id)
                .contentType("jwk+json").build(), new Payload(jwk.toJSONString()));
        try {
            jwe.encrypt(new DirectEncrypter(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot encrypt a signing key", e);
        }
        return jwe.serialize();
    }

    /** A stored key this key-encryption key cannot open: sealed under another one, altered, or not a sealed key. */
    public static final class UnreadableKeyException extends IllegalStateException {
        UnreadableKeyException(String message) {
            super(message);
        }
    }

    /**
     * The JWK that {@link #seal} encrypted.
     *
     * @throws UnreadableKeyException when it was sealed under another key, was altered, or is not such a JWE
     */
    public JWK open(String sealed) {
        JWEObject jwe;
        try {
            jwe = JWEObject.parse(sealed);
        } catch (ParseException e) {
            throw new UnreadableKeyException("a stored signing key is neither a JWK nor an encrypted one");
        }
        JWEHeader header = jwe.getHeader();
        if (!JWEAlgorithm.DIR.equals(header.getAlgorithm()) || !EncryptionMethod.A256GCM.equals(header.getEncryptionMethod())) {
            throw new UnreadableKeyException("a stored signing key is encrypted with " + header.getAlgorithm() + "/"
                    + header.getEncryptionMethod() + ", not dir/A256GCM");
        }
        if (header.getKeyID() != null && !header.getKeyID().equals(id)) {
            throw new UnreadableKeyException("the stored signing keys were encrypted with key-encryption key " + header.getKeyID()
                    + ", not with the one configured (" + id + ")");
        }
        try {
            jwe.decrypt(new DirectDecrypter(key));
            return JWK.parse(jwe.getPayload().toString());
        } catch (JOSEException e) {
            throw new UnreadableKeyException("a stored signing key cannot be decrypted with key-encryption key " + id
                    + " (another key, or the stored value was altered)");
        } catch (ParseException e) {
            throw new UnreadableKeyException("a stored signing key decrypts to no JWK");
        }
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[" + id + "]";
    }
}
