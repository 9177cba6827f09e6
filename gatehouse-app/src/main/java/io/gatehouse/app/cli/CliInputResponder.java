package io.gatehouse.app.cli;

import io.gatehouse.client.mcp.InputResponder;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.terminal.TerminalText;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the CLI answers when a server needs input to complete a request (MCP 2026-07-28 MRTR): its roots are the
 * working directory; a form elicitation is asked on the terminal when there is one (and not
 * {@code --non-interactive}), else it is not declared and, if asked anyway, declined; sampling is never offered.
 */
final class CliInputResponder implements InputResponder {

    /** Asks one question on the terminal; null at the end of input. */
    @FunctionalInterface
    interface Prompter {
        String ask(String prompt);

        static Prompter of(Console console) {
            return prompt -> console.readLine("%s", prompt);
        }
    }

    private static final int ATTEMPTS = 3;

    private final Path root;
    private final Optional<Prompter> prompter;
    private final PrintWriter err;

    CliInputResponder(Path root, Optional<Prompter> prompter, PrintWriter err) {
        this.root = root;
        this.prompter = prompter;
        this.err = err;
    }

    static CliInputResponder forTerminal(Path root, Optional<Console> console, PrintWriter err) {
        return new CliInputResponder(root, console.map(Prompter::of), err);
    }

    @Override
    public ObjectNode capabilities() {
        ObjectNode capabilities = Http.JSON.createObjectNode();
        capabilities.putObject("roots");
        prompter.ifPresent(p -> capabilities.putObject("elicitation").putObject("form"));
        return capabilities;
    }

    @Override
    public JsonNode answer(String method, JsonNode params) {
        return switch (method) {
            case "roots/list" -> roots();
            case "elicitation/create" -> prompter.isPresent() && !params.path("mode").asString("form").equals("url")
                    ? elicit(prompter.get(), params) : decision("decline");
            default -> throw InputResponder.refused(method);
        };
    }

    private JsonNode roots() {
        ObjectNode result = Http.JSON.createObjectNode();
        ObjectNode root = result.putArray("roots").addObject();
        root.put("uri", this.root.toUri().toString());
        root.put("name", this.root.getFileName() == null ? this.root.toString() : this.root.getFileName().toString());
        return result;
    }

    private JsonNode elicit(Prompter ask, JsonNode params) {
        err.println("The server asks: " + TerminalText.neutralize(params.path("message").asString("")));
        err.flush();
        String choice = Optional.ofNullable(ask.ask("Answer it? [Y]es, [n]o (decline), [c]ancel: ")).map(String::strip).orElse("c")
                .toLowerCase(Locale.ROOT);
        if (choice.startsWith("n")) {
            return decision("decline");
        }
        if (choice.startsWith("c")) {
            return decision("cancel");
        }
        JsonNode schema = params.path("requestedSchema");
        ObjectNode content = Http.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> field : schema.path("properties").properties()) {
            boolean required = contains(schema.path("required"), field.getKey());
            Optional<JsonNode> value = askField(ask, field.getKey(), field.getValue(), required);
            if (value == null) {
                return decision("cancel");
            }
            value.ifPresent(v -> content.set(field.getKey(), v));
        }
        ObjectNode result = decision("accept");
        result.set("content", content);
        return result;
    }

    /** The field's value, empty to leave it out, or null when the user gave up. */
    private Optional<JsonNode> askField(Prompter ask, String name, JsonNode field, boolean required) {
        String type = field.path("type").asString("string");
        JsonNode choices = field.has("enum") ? field.get("enum") : null;
        String label = TerminalText.neutralize(field.path("title").asString(name)) + (field.has("description")
                ? " - " + TerminalText.neutralize(field.path("description").asString("")) : "")
                + (choices != null ? " (one of " + TerminalText.neutralize(join(choices)) + ")" : " (" + type + ")")
                + (field.has("default") ? " [" + TerminalText.neutralize(field.get("default").toString()) + "]" : "") + ": ";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String line = ask.ask(label);
            if (line == null) {
                return null;
            }
            if (line.isEmpty()) {
                if (field.has("default")) {
                    return Optional.of(field.get("default"));
                }
                if (!required) {
                    return Optional.empty();
                }
                continue;
            }
            Optional<JsonNode> parsed = parse(line, type, choices);
            if (parsed.isPresent()) {
                return parsed;
            }
            err.println("  not a valid " + (choices != null ? "choice" : type));
            err.flush();
        }
        return null;
    }

    private static Optional<JsonNode> parse(String line, String type, JsonNode choices) {
        if (choices != null) {
            return contains(choices, line) ? Optional.of(Http.JSON.getNodeFactory().stringNode(line)) : Optional.empty();
        }
        try {
            return switch (type) {
                case "boolean" -> switch (line.toLowerCase(Locale.ROOT)) {
                    case "y", "yes", "true" -> Optional.of(Http.JSON.getNodeFactory().booleanNode(true));
                    case "n", "no", "false" -> Optional.of(Http.JSON.getNodeFactory().booleanNode(false));
                    default -> Optional.empty();
                };
                case "integer" -> Optional.of(Http.JSON.getNodeFactory().numberNode(Long.parseLong(line)));
                case "number" -> Optional.of(Http.JSON.getNodeFactory().numberNode(Double.parseDouble(line)));
                default -> Optional.of(Http.JSON.getNodeFactory().stringNode(line));
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean contains(JsonNode array, String value) {
        if (array instanceof ArrayNode list) {
            for (JsonNode item : list) {
                if (value.equals(item.asString(""))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String join(JsonNode array) {
        StringBuilder out = new StringBuilder();
        array.forEach(item -> out.append(out.isEmpty() ? "" : ", ").append(item.asString(item.toString())));
        return out.toString();
    }

    private static ObjectNode decision(String action) {
        return Http.JSON.createObjectNode().put("action", action);
    }
}
