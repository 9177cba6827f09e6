package io.gatehouse.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.mcp.internal.mrtr.RequestState;
import io.gatehouse.mcp.internal.mrtr.RequestStateSeal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("M-4")
class RequestStateKeyFileTest {

    @TempDir
    Path temp;

    @Test
    void nothing_is_written_until_the_key_is_first_needed_then_an_owner_only_file_holds_it() throws Exception {
        Path data = temp.resolve("data");
        RequestStateKeyFile keys = new RequestStateKeyFile(data);

        assertThat(data).doesNotExist();
        SecretKey key = keys.secretKey();

        Path file = data.resolve(RequestStateKeyFile.FILE);
        assertThat(key.getEncoded()).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(keys.secretKey()).isSameAs(key);
    }

    @Test
    void nodes_sharing_the_data_directory_open_each_others_states() throws Exception {
        Path data = temp.resolve("shared");
        List<Callable<SecretKey>> nodes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RequestStateKeyFile node = new RequestStateKeyFile(data);
            nodes.add(node::secretKey);
        }
        List<byte[]> keys = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<SecretKey> key : pool.invokeAll(nodes)) {
                keys.add(key.get().getEncoded());
            }
        }
        assertThat(keys).allSatisfy(k -> assertThat(k).isEqualTo(keys.get(0)));

        RequestState state = new RequestState("p", "tools/call", "d", Instant.parse("2100-01-01T00:00:00Z"),
                JsonNodeFactory.instance.objectNode());
        String sealed = new RequestStateSeal(new RequestStateKeyFile(data)).seal(state);
        assertThat(new RequestStateSeal(new RequestStateKeyFile(data)).open(sealed)).isPresent();
    }

    @Test
    @Tag("attack")
    void a_key_file_other_users_can_read_is_refused() throws Exception {
        Path data = temp.resolve("open");
        new RequestStateKeyFile(data).secretKey();
        Files.setPosixFilePermissions(data.resolve(RequestStateKeyFile.FILE), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> new RequestStateKeyFile(data).secretKey()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("readable by other users");
    }

    @Test
    void a_key_file_that_does_not_hold_a_256_bit_key_is_refused() throws Exception {
        Path data = temp.resolve("bad");
        Files.createDirectories(data);
        Files.writeString(data.resolve(RequestStateKeyFile.FILE), "c2hvcnQ=\n",
                java.nio.file.StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(data.resolve(RequestStateKeyFile.FILE), PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> new RequestStateKeyFile(data).secretKey()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }
}
