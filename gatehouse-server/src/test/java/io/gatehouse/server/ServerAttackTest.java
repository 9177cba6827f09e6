package io.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Review of issue 11: what a careless library user, or whoever controls its command line, gets from GatehouseServer. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
class ServerAttackTest {

    private static GatehouseServer.Builder builder() {
        return GatehouseServer.builder().environment(Map.of());
    }

    @Test
    void a_misspelled_secret_flag_is_refused_without_repeating_its_value() {
        assertThatThrownBy(() -> builder().args("--introspection-secret=hunter2").build())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("--introspection-secret")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> builder().args("--introspection-secret", "hunter2").build())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> builder().args("--database-pasword=hunter2").build())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void a_secret_given_twice_is_refused_without_repeating_either_value() {
        assertThatThrownBy(() -> builder().args("--introspection-client-secret", "hunter2", "--introspection-client-secret", "hunter3").build())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageNotContaining("hunter2").hasMessageNotContaining("hunter3");
    }

    @Test
    void the_default_is_loopback_and_embedded_authorization() {
        GatehouseServer server = builder().args("--port", "0").build();
        assertThat(server.toString()).doesNotContain("hunter");
        server.close();
        assertThatThrownBy(() -> builder().args("--host", "0.0.0.0").build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("Demo users");
    }
}
