package io.gatehouse.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the embedded authorization server, the requestState key comes from its database, not a file (issue 14 point 1). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-14")
class EmbeddedRequestStateKeyTest {

    @Test
    void the_request_state_key_is_kept_in_the_database_and_survives_a_restart(@TempDir Path dataDir) throws Exception {
        GatehouseConfig config = GatehouseConfig.from(Settings.load(Optional.empty(), Optional.empty(), Map.of(),
                Map.of("auth", "embedded", "data-dir", dataDir.toString(), "demo-password", "pw-request-state")));
        byte[] first;
        try (EmbeddedAuthorization embedded = EmbeddedAuthorization.prepare(config, Clock.systemUTC())) {
            first = embedded.requestStateKey().secretKey().getEncoded();
        }
        byte[] again;
        try (EmbeddedAuthorization embedded = EmbeddedAuthorization.prepare(config, Clock.systemUTC())) {
            again = embedded.requestStateKey().secretKey().getEncoded();
        }

        assertThat(first).hasSize(32).isEqualTo(again);
        assertThat(Files.exists(dataDir.resolve(RequestStateKeyFile.FILE))).isFalse();
    }
}
