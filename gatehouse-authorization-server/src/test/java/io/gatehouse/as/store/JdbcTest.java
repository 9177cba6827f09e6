package io.gatehouse.as.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which database failures mean "unreachable" (503 with Retry-After) and which are the server's own fault (500). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("SEC19-9")
class JdbcTest {

    @Test
    void a_pool_timeout_a_lost_connection_and_a_shutting_down_server_are_unreachable() {
        SQLException refused = new SQLException("Connection refused", "08001", new ConnectException("refused"));
        assertThat(Jdbc.isUnreachable(new SQLTransientConnectionException("gatehouse-as - Connection is not available", refused))).isTrue();
        assertThat(Jdbc.isUnreachable(new SQLException("An I/O error occurred while sending to the backend.", "08006"))).isTrue();
        assertThat(Jdbc.isUnreachable(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(Jdbc.isUnreachable(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(Jdbc.isUnreachable(new SQLException("sorry, too many clients already", "53300"))).isTrue();
    }

    @Test
    void a_bad_statement_a_duplicate_key_and_a_deadlock_are_not() {
        assertThat(Jdbc.isUnreachable(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(Jdbc.isUnreachable(new SQLException("duplicate key value violates unique constraint", "23505"))).isFalse();
        assertThat(Jdbc.isUnreachable(new SQLTransactionRollbackException("deadlock detected", "40P01"))).isFalse();
        assertThat(Jdbc.isUnreachable(new SQLException("no state"))).isFalse();
    }
}
