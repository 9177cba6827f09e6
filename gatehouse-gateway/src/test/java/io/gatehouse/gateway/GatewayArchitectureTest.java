package io.gatehouse.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The gateway module's boundaries: no HTTP server, no Gatehouse runtime above it, a small public API. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GatewayArchitectureTest {

    static JavaClasses gateway;

    @BeforeAll
    static void load() {
        gateway = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.gatehouse.gateway");
    }

    @Test
    void the_gateway_uses_no_jetty_and_nothing_of_the_transport_server_or_app() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "io.gatehouse.transport..",
                "io.gatehouse.server..", "io.gatehouse.app..", "io.gatehouse.as..", "io.gatehouse.rs..").check(gateway);
    }

    @Test
    void the_public_api_is_the_upstream_types_and_everything_else_is_internal_or_package_private() {
        classes().that().resideInAPackage("io.gatehouse.gateway").and().arePublic().and().areTopLevelClasses()
                .should().haveSimpleNameStartingWith("Upstream").check(gateway);
    }
}
