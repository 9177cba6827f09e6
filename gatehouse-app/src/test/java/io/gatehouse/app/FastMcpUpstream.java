package io.gatehouse.app;

import io.gatehouse.testkit.NodeTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The gateway tests' upstreams: {@code fastmcp-upstream.mjs}, a server written with FastMCP (npm {@code fastmcp}, the
 * TypeScript framework, pinned with the peer dependencies it names: ajv, ajv-formats, jose; and zod for its tool
 * parameters), and {@code paging-upstream.mjs}, a dependency-free server whose {@code tools/list} has pages; both
 * run over stdio on Node 22, installed from npm on first use.
 */
final class FastMcpUpstream {

    static final List<String> PACKAGES = List.of("fastmcp@4.20.16", "zod@4.6.7", "ajv@8.20.0", "ajv-formats@3.0.1",
            "jose@6.2.18");

    private FastMcpUpstream() {
    }

    /** The program and arguments of one FastMCP server; {@code instance} is what its {@code whoami} tool answers. */
    static List<String> fastMcp(String instance) {
        return List.of(NodeTools.node22().toString(), script("fastmcp-upstream.mjs").toString(), instance);
    }

    /** The program and arguments of the paging server. */
    static List<String> paging() {
        return List.of(NodeTools.node22().toString(), script("paging-upstream.mjs").toString());
    }

    /** As one {@code upstream-command} line (each word single-quoted). */
    static String commandLine(List<String> command) {
        return String.join(" ", command.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
    }

    /** As a YAML flow list, for the config file's {@code upstreams:} section. */
    static String yamlList(List<String> command) {
        return command.stream().map(word -> "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /** The script, next to the installed packages so that its imports resolve. */
    private static Path script(String name) {
        Path dir = NodeTools.install("fastmcp", PACKAGES);
        try {
            return Files.copy(Path.of("src/test/node", name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
