package io.gatehouse.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code --upstream-command "CMD ARGS…"} into a program and its arguments the way a POSIX shell splits
 * words, but without a shell: whitespace separates words, single quotes keep everything literally, double quotes
 * keep whitespace and honour {@code \"} and {@code \\}, a backslash outside quotes escapes the next character.
 * No variables, globs, pipes or redirections: {@code $HOME} or {@code *} stay as written.
 */
final class CommandLine {

    private CommandLine() {
    }

    static List<String> split(String line) {
        if (line == null || line.isBlank()) {
            throw new UpstreamConfigException("upstream command is empty");
        }
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new UpstreamConfigException("upstream command has an unclosed " + (quote == '"' ? "double" : "single")
                    + " quote: " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }
}
