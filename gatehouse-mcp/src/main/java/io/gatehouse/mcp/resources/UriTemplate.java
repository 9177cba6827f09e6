package io.gatehouse.mcp.resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RFC 6570 level-1 URI template ({@code test://template/{id}/data}) used to match URIs: each
 * {@code {name}} matches one or more characters other than {@code /}, {@code ?} and {@code #}.
 */
final class UriTemplate {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final String template;
    private final Pattern pattern;
    private final List<String> names = new ArrayList<>();

    UriTemplate(String template) {
        this.template = template;
        StringBuilder regex = new StringBuilder();
        Matcher m = VARIABLE.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            regex.append("([^/?#]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        this.pattern = Pattern.compile(regex.toString());
    }

    String template() {
        return template;
    }

    List<String> variableNames() {
        return names;
    }

    Optional<Map<String, String>> match(String uri) {
        Matcher m = pattern.matcher(uri);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), m.group(i + 1));
        }
        return Optional.of(values);
    }
}
