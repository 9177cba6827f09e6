package io.gatehouse.client.oauth;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * How the user reaches the authorization URL: a browser command (run directly with the URL as one argument, never
 * through a shell), printing it, or, for unattended runs against servers that authorize without a person (the
 * conformance mocks), fetching it and following its redirects to the loopback callback.
 */
@FunctionalInterface
public interface UrlOpener {

    void open(URI authorizationUrl);

    /** Runs {@code command URL} without a shell. */
    static UrlOpener command(List<String> command, PrintWriter err) {
        return url -> {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new OAuthClientException("refusing to open a non-http(s) authorization URL");
            }
            List<String> full = new java.util.ArrayList<>(command);
            full.add(url.toString());
            try {
                new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                err.println("Could not start " + command.get(0) + " (" + e.getMessage() + "); open this URL yourself:");
                err.println("  " + url);
                err.flush();
            }
        };
    }

    static UrlOpener print(PrintWriter err) {
        return url -> {
            err.println("Open this URL in your browser to log in:");
            err.println("  " + url);
            err.flush();
        };
    }

    /** Follows the redirects of the authorization URL (up to 10) without a browser; for unattended flows. */
    static UrlOpener fetch() {
        return url -> {
            Http http = new Http();
            URI next = url;
            for (int hop = 0; hop < 10; hop++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(next).GET());
                var location = response.headers().firstValue("Location");
                if (response.statusCode() / 100 != 3 || location.isEmpty()) {
                    return;
                }
                next = next.resolve(location.get());
            }
        };
    }
}
