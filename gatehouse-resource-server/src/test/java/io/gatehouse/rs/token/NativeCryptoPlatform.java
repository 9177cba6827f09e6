package io.gatehouse.rs.token;

import java.util.Locale;

/** Where the native provider must load: the platforms whose native library Gatehouse ships (Linux x86-64). */
final class NativeCryptoPlatform {

    private NativeCryptoPlatform() {
    }

    static boolean expected() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }
}
