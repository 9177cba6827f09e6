package io.gatehouse.as.keys;

import com.nimbusds.jose.jwk.JWK;
import java.util.List;

/** Where the authorization server's signing keys (private halves included) are kept. */
public interface KeyStore {
    List<JWK> load();

    void save(List<JWK> keys);
}
