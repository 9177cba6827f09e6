package io.gatehouse.server;

import io.gatehouse.server.internal.config.ConfigKeys;
import io.gatehouse.server.internal.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link GatehouseServer} given in code: the defaults of that server, which its
 * {@link GatehouseServer.Builder#args args} (flags, {@code GATEHOUSE_*} environment variables, {@code --env} and
 * {@code --config} files) override. The settings are those of {@code gatehouse serve}, by the same dashed names;
 * the typed methods are shorthands for {@link Builder#set}.
 * <pre>{@code
 * GatehouseSettings defaults = GatehouseSettings.builder()
 *         .port(9100).auth("external").issuer("http://localhost:8080/realms/mcp")
 *         .set("session-mode", "stateless")
 *         .build();
 * }</pre>
 * Values are checked when the server is built: a wrong one is an {@link InvalidSettingException} naming the setting.
 */
public final class GatehouseSettings {

    private final Map<String, String> values;

    private GatehouseSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings by name, as given. */
    Map<String, String> values() {
        return values;
    }

    @Override
    public String toString() {
        return "GatehouseSettings" + values.keySet();
    }

    /** Collects settings by name; {@link #set} refuses a name {@code gatehouse serve} does not know. */
    public static final class Builder {

        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets a setting by its name in the configuration reference ({@code session-mode}, {@code audit-log}, ...), as
         * text, exactly as it would be written in the config file.
         *
         * @throws InvalidSettingException if no setting has that name (the message lists the known ones)
         */
        public Builder set(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!ConfigKeys.isKnown(name)) {
                throw new InvalidSettingException("Unknown setting '" + name + "' (from " + Settings.CODE_DEFAULT + "). Known settings: "
                        + String.join(", ", ConfigKeys.names()));
            }
            values.put(name, value);
            return this;
        }

        /** {@code host}: the address to bind (default 127.0.0.1). */
        public Builder host(String host) {
            return set("host", host);
        }

        /** {@code port}: the port to bind (default 9000; 0 picks a free one). */
        public Builder port(int port) {
            return set("port", Integer.toString(port));
        }

        /** {@code public-url}: the base URL clients use when the server sits behind a proxy. */
        public Builder publicUrl(String url) {
            return set("public-url", url);
        }

        /** {@code auth}: who issues tokens: embedded (the default), external, local-keys or none (loopback only). */
        public Builder auth(String mode) {
            return set("auth", mode);
        }

        /** {@code issuer}: the token issuer (iss), exactly; required with {@code auth("external")}. */
        public Builder issuer(String issuer) {
            return set("issuer", issuer);
        }

        /** {@code jwks-url}: the issuer's JWKS (default: from its discovery document). */
        public Builder jwksUrl(String url) {
            return set("jwks-url", url);
        }

        /** {@code audience}: the audiences accepted in tokens (default: the canonical MCP URL). */
        public Builder audience(String... audiences) {
            return set("audience", String.join(",", audiences));
        }

        /** {@code session-mode}: stateful (the default) or stateless. */
        public Builder sessionMode(String mode) {
            return set("session-mode", mode);
        }

        /** {@code data-dir}: the directory for state kept between runs (default ./gatehouse-data). */
        public Builder dataDir(Path directory) {
            return set("data-dir", directory.toString());
        }

        /** {@code resource-name}: the name in the protected resource metadata. */
        public Builder resourceName(String name) {
            return set("resource-name", name);
        }

        public GatehouseSettings build() {
            return new GatehouseSettings(values);
        }
    }
}
