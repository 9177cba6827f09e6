package io.gatehouse.gateway.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment of a stdio upstream's child: nothing of Gatehouse's own environment except what a process needs to
 * run (search path, home, locale, temporary directory, time zone, user name, and the few variables Windows needs),
 * then the variables the upstream's configuration sets. Gatehouse's settings ({@code GATEHOUSE_*}), database
 * passwords, client secrets and everything else stay out. A configured {@code GATEHOUSE_*} name is refused by
 * the configuration already and dropped here again.
 */
final class ChildEnvironment {

    static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TMPDIR",
            "TEMP", "TMP", "TZ", "USER", "LOGNAME", "SYSTEMROOT", "SystemRoot", "WINDIR", "COMSPEC", "PATHEXT",
            "USERPROFILE");

    private ChildEnvironment() {
    }

    static Map<String, String> of(Map<String, String> gatehouseEnv, Map<String, String> configured) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : INHERITED) {
            String value = gatehouseEnv.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        configured.forEach((name, value) -> {
            if (!name.toUpperCase(Locale.ROOT).startsWith("GATEHOUSE_")) {
                env.put(name, value);
            }
        });
        return env;
    }
}
