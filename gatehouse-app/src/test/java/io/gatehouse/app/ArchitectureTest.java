package io.gatehouse.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The module boundaries of ARCHITECTURE.md section 1, checked on the compiled classes. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ArchitectureTest {

    /** The packages a library user codes against; everything else of the MCP core is under {@code internal}. */
    private static final String[] MCP_API = {"io.gatehouse.mcp.context..", "io.gatehouse.mcp.tools..",
            "io.gatehouse.mcp.prompts..", "io.gatehouse.mcp.resources..", "io.gatehouse.mcp.content..",
            "io.gatehouse.mcp.completion.."};

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.gatehouse");
    }

    @Test
    void the_mcp_core_imports_no_http_server_oauth_or_jdbc_code() {
        noClasses().that().resideInAPackage("io.gatehouse.mcp..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "com.nimbusds..", "java.sql..",
                        "java.net.http..", "io.gatehouse.transport..", "io.gatehouse.server..", "io.gatehouse.app..", "picocli..")
                .check(classes);
    }

    @Test
    void the_transport_does_not_depend_on_the_application() {
        noClasses().that().resideInAPackage("io.gatehouse.transport..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gatehouse.server..", "io.gatehouse.app..", "picocli..")
                .check(classes);
    }

    @Test
    void the_server_library_does_not_depend_on_the_application() {
        noClasses().that().resideInAPackage("io.gatehouse.server..")
                .should().dependOnClassesThat().resideInAPackage("io.gatehouse.app..")
                .check(classes);
    }

    @Test
    void the_server_runtime_does_not_depend_on_the_public_api_built_on_it() {
        noClasses().that().resideInAPackage("io.gatehouse.server.internal..")
                .should().dependOnClassesThat().resideInAPackage("io.gatehouse.server")
                .check(classes);
    }

    @Test
    void the_transport_does_not_depend_on_the_authorization_server() {
        noClasses().that().resideInAPackage("io.gatehouse.transport..")
                .should().dependOnClassesThat().resideInAPackage("io.gatehouse.as..")
                .check(classes);
    }

    @Test
    void only_the_transport_touches_jetty() {
        noClasses().that().resideOutsideOfPackage("io.gatehouse.transport..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
                .check(classes);
    }

    /** Issue 15: modules count through Micrometer's API into the registry of their Gatehouse; the wiring picks Prometheus. */
    @Test
    void only_the_server_wiring_knows_the_prometheus_registry_and_nobody_uses_the_global_one() {
        noClasses().that().resideOutsideOfPackage("io.gatehouse.server.internal.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer.prometheusmetrics..", "io.prometheus..")
                .check(classes);
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("io.micrometer.core.instrument.Metrics")
                .because("one registry per running Gatehouse, never a static global one").check(classes);
    }

    @Test
    void the_packages_of_the_mcp_core_form_no_cycle() {
        slices().matching("io.gatehouse.mcp.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** The public API a library user codes against does not lean on the engine, so the engine can change freely. */
    @Test
    void the_public_mcp_api_does_not_depend_on_the_engine() {
        noClasses().that().resideInAnyPackage(MCP_API)
                .should().dependOnClassesThat().resideInAPackage("io.gatehouse.mcp.internal..")
                .check(classes);
    }

    /**
     * Every project under {@code examples/} compiles against the public API alone: its sources are compiled here, on
     * this module's class path (which holds {@code gatehouse-server}), and no class of them may use an internal package.
     */
    @Test
    void the_examples_use_no_internal_gatehouse_package() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("..", "examples"))) {
            sources = files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("src" + File.separator + "main"))
                    .toList();
        }
        assertThat(sources).isNotEmpty();
        Path out = Files.createTempDirectory("examples-classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path")));
        sources.forEach(source -> arguments.add(source.toString()));
        assertThat(javac.run(null, null, null, arguments.toArray(String[]::new))).as("javac of the examples").isZero();

        JavaClasses examples = new ClassFileImporter().importPath(out);
        assertThat(examples).isNotEmpty();
        noClasses().should().dependOnClassesThat().resideInAPackage("io.gatehouse..internal..")
                .because("an application sees only Gatehouse's public API").check(examples);
    }
}
