package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.ALICE_PASSWORD;
import static io.gatehouse.as.OAuthDriver.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.keys.KeyEncryptionKey;
import io.gatehouse.as.store.JdbcStores;
import io.gatehouse.testkit.MutableClock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An anonymous caller tries to evict other people's sign-ins in progress: every GET of the authorization endpoint
 * parks a pending authorization, and the store keeps at most 8,000 (the oldest go first). One caller must not be
 * able to park enough of them to push out everyone else's.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
@Tag("SEC10-5")
class PendingAuthorizationFloodAttackTest {

    final JdbcStores database = JdbcStores.open("jdbc:h2:mem:flood-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", Optional.empty(),
            Optional.empty(), KeyEncryptionKey.generate());
    final OAuthDriver driver = new OAuthDriver(OAuthDriver.settings(true, Optional.empty()), new MutableClock(Instant.now()),
            database.stores(), OAuthDriver.USERS);

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void one_caller_cannot_push_a_victims_pending_sign_in_out_of_the_store() {
        OAuthDriver.Client client = driver.registerPublic();
        driver.remoteAddress = "198.51.100.1";
        OAuthDriver.Start victim = driver.start(client);
        assertThat(victim.response().status()).isEqualTo(200);

        driver.remoteAddress = "203.0.113.7";
        int refused = 0;
        for (int i = 0; i < 8_200; i++) {
            refused += driver.get(AuthorizationServer.AUTHORIZE, victim.params(), Optional.empty()).status() == 429 ? 1 : 0;
            driver.responses.clear();
        }
        driver.server.maintain();

        driver.remoteAddress = "198.51.100.1";
        var afterLogin = driver.login(victim.response(), "alice", ALICE_PASSWORD);
        assertThat(body(afterLogin)).doesNotContain("Sign-in expired");
        assertThat(afterLogin.status()).as(body(afterLogin)).isIn(200, 302, 303);
        assertThat(refused).isPositive();
    }
}
