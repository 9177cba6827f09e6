package io.gatehouse.app.demo;

import io.gatehouse.app.fixtures.ConformanceFixtures;
import io.gatehouse.server.internal.Gatehouse;
import io.gatehouse.server.internal.Version;
import io.gatehouse.server.internal.config.GatehouseConfig;

/**
 * What {@code gatehouse serve} serves: the tutorial's tools and prompts, the caller tools, and the fixture packs the
 * configuration asks for, under the name "gatehouse" with the demo's instructions. A library server serves none of these.
 */
public final class DemoServer {

    private DemoServer() {
    }

    public static Gatehouse.Features features(GatehouseConfig config) {
        return new Gatehouse.Features("gatehouse", Version.get(), (builder, clock) -> {
            builder.title("Gatehouse").instructions("Gatehouse demo server: try the echo tool, or get the help prompt.");
            TutorialFeatures.register(builder, clock);
            CallerTools.register(builder, clock);
            if (config.fixtures().contains("conformance")) {
                ConformanceFixtures.register(builder);
            }
        });
    }
}
