package io.gatehouse.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
}
