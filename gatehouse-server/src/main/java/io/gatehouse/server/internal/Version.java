package io.gatehouse.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Gatehouse's version, as Maven stamped it into the jar. */
public final class Version {

    private static final String VERSION = read();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "development");
        } catch (IOException e) {
            return "development";
        }
    }
}
