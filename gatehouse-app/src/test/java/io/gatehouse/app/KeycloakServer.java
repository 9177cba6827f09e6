package io.gatehouse.app;

import io.gatehouse.testkit.ExternalProcess;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real Keycloak with the repository's MCP realm, started and stopped by {@code keycloak/keycloak.sh}, as a person would. */
final class KeycloakServer implements AutoCloseable {

    static final Path SCRIPT = Path.of("../keycloak/keycloak.sh").toAbsolutePath().normalize();

    final int port;
    final Map<String, String> env;
    final String startOutput;

    private KeycloakServer(int port, Map<String, String> env, String startOutput) {
        this.port = port;
        this.env = env;
        this.startOutput = startOutput;
    }

    /** Starts Keycloak on a free port; the realm's audience mappers name {@code mcpUrl}. */
    static KeycloakServer start(String mcpUrl) throws Exception {
        return start(mcpUrl, Map.of());
    }

    /** As {@link #start(String)}, with more settings of the script (KC_VERSION, KC_FEATURES, KC_REALM_FILE). */
    static KeycloakServer start(String mcpUrl, Map<String, String> settings) throws Exception {
        int port = freePort();
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("KC_PORT", String.valueOf(port));
        env.put("KC_MCP_URL", mcpUrl);
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of("bash", SCRIPT.toString(), "start"), SCRIPT.getParent().getParent(),
                env, Duration.ofMinutes(10));
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("Keycloak did not start:\n" + outcome.output());
        }
        return new KeycloakServer(port, env, outcome.output());
    }

    String issuer() {
        return "http://localhost:" + port + "/realms/mcp-realm";
    }

    String url() {
        return "http://localhost:" + port;
    }

    /**
     * Freezes (SIGSTOP) or thaws (SIGCONT) Keycloak's process group: frozen, it still accepts connections (the
     * kernel does) but never answers, as an overloaded or hung identity provider.
     */
    void signal(String signal) throws Exception {
        java.util.regex.Matcher pid = java.util.regex.Pattern.compile("PID (\\d+)").matcher(startOutput);
        if (!pid.find()) {
            throw new IllegalStateException("no PID in: " + startOutput);
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pid.group(1)).inheritIO().start();
        if (!kill.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed");
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        ExternalProcess.run(List.of("bash", SCRIPT.toString(), "stop"), SCRIPT.getParent().getParent(), env, Duration.ofMinutes(2));
    }
}
