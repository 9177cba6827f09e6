package io.gatehouse.as;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;

/**
 * What the authorization server counts, in the registry of the Gatehouse it runs in. Every label value comes from a
 * fixed set (never a username, client id or token), and every counter exists from the start, at zero:
 * <pre>
 * gatehouse.as.logins          outcome = ok | failed | throttled       password logins on the login page
 * gatehouse.as.tokens.issued   grant_type = authorization_code | refresh_token | client_credentials | token_exchange
 * gatehouse.as.refresh.reuse   -                                        a spent refresh token presented again (its family is revoked)
 * gatehouse.as.registrations   -                                        clients registered at the registration endpoint
 * </pre>
 */
public final class AsMetrics {

    private final Counter loginOk;
    private final Counter loginFailed;
    private final Counter loginThrottled;
    private final Map<String, Counter> issued;
    private final Counter refreshReuse;
    private final Counter registrations;

    public AsMetrics(MeterRegistry registry) {
        this.loginOk = login(registry, "ok");
        this.loginFailed = login(registry, "failed");
        this.loginThrottled = login(registry, "throttled");
        this.issued = Map.of("authorization_code", issued(registry, "authorization_code"),
                "refresh_token", issued(registry, "refresh_token"),
                "client_credentials", issued(registry, "client_credentials"),
                "token_exchange", issued(registry, "token_exchange"));
        this.refreshReuse = Counter.builder("gatehouse.as.refresh.reuse")
                .description("Spent refresh tokens presented again (the family is revoked)").register(registry);
        this.registrations = Counter.builder("gatehouse.as.registrations")
                .description("Clients registered at the registration endpoint").register(registry);
    }

    /** Counts nowhere anyone reads (an authorization server built without a registry). */
    public static AsMetrics unread() {
        return new AsMetrics(new SimpleMeterRegistry());
    }

    private static Counter login(MeterRegistry registry, String outcome) {
        return Counter.builder("gatehouse.as.logins").tag("outcome", outcome)
                .description("Password logins on the login page").register(registry);
    }

    private static Counter issued(MeterRegistry registry, String grantType) {
        return Counter.builder("gatehouse.as.tokens.issued").tag("grant_type", grantType)
                .description("Access tokens issued, by grant type").register(registry);
    }

    public void loginSucceeded() {
        loginOk.increment();
    }

    public void loginFailed() {
        loginFailed.increment();
    }

    public void loginThrottled() {
        loginThrottled.increment();
    }

    /** @param grantType {@code authorization_code}, {@code refresh_token}, {@code client_credentials} or {@code token_exchange} */
    public void tokenIssued(String grantType) {
        Counter counter = issued.get(grantType);
        if (counter == null) {
            throw new IllegalArgumentException("not a grant type this server issues for: " + grantType);
        }
        counter.increment();
    }

    public void refreshTokenReused() {
        refreshReuse.increment();
    }

    public void clientRegistered() {
        registrations.increment();
    }
}
