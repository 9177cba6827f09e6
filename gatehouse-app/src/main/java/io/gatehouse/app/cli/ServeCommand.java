package io.gatehouse.app.cli;

import io.gatehouse.app.demo.DemoServer;
import io.gatehouse.server.internal.Gatehouse;
import io.gatehouse.server.internal.GracefulShutdown;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.ServeOptions;
import java.net.BindException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatehouse serve}: runs the MCP server until it is interrupted (Ctrl+C or SIGTERM stop it gracefully). */
@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true, modelTransformer = ServeOptions.class,
        description = {"Run Gatehouse: an MCP server over Streamable HTTP at http://127.0.0.1:9000/mcp by default.",
                "Every option can also be set in the config file (--config, YAML: port: 9000), in an env file "
                        + "(--env, GATEHOUSE_PORT=9000) or as an environment variable (GATEHOUSE_PORT). "
                        + "Precedence: flag > environment > env file > config file > default."},
        footer = {"", "Examples:", "  gatehouse serve                            # MCP + OAuth on http://localhost:9000, demo users",
                "  gatehouse serve --auth none                # no authentication (loopback only)", "  gatehouse serve --port 9100 --session-mode stateless",
                "  gatehouse serve --fixtures conformance    # the official conformance suite's fixtures",
                "  gatehouse serve --auth local-keys          # then: gatehouse token mint --demo",
                "  gatehouse serve --auth external --issuer http://localhost:8080/realms/mcp"})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GatehouseConfig config = GatehouseConfig.from(ServeOptions.settings(spec, System.getenv(), Map.of()));
        Gatehouse gatehouse;
        try {
            gatehouse = Gatehouse.start(config, DemoServer.features(config));
        } catch (java.io.IOException e) {
            if (e.getCause() instanceof BindException || e instanceof BindException) {
                spec.commandLine().getErr().println("Cannot bind " + config.transport().host() + ":" + config.transport().port()
                        + ": " + e.getMessage() + ". Is another server using that port? Choose one with --port.");
                return ExitCodes.UNAVAILABLE;
            }
            throw e;
        }
        GracefulShutdown.runUntilStopped(gatehouse, gatehouse, spec.commandLine().getErr()::println);
        return ExitCodes.OK;
    }
}
