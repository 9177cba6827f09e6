package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The poms that {@code ./mvnw install} publishes: gatehouse-bom manages every library module and repeats what it
 * cannot inherit (it has no parent, so that importing it brings no third-party pins but Jackson's), and every
 * module describes itself.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublishedArtifactsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Modules that are not libraries: the BOM itself, the command's fat jar and the benchmarks. */
    static final List<String> NOT_IN_BOM = List.of("gatehouse-bom", "gatehouse-app", "gatehouse-bench");

    static Element pom(String path) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve(path).toFile()).getDocumentElement();
    }

    static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        return "";
    }

    static Element element(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }

    static List<String> modules() throws Exception {
        NodeList modules = element(pom("pom.xml"), "modules").getElementsByTagName("module");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < modules.getLength(); i++) {
            names.add(modules.item(i).getTextContent().strip());
        }
        return names;
    }

    /** groupId:artifactId to version of the BOM's managed dependencies. */
    static Map<String, String> managedByBom() throws Exception {
        NodeList dependencies = element(element(pom("gatehouse-bom/pom.xml"), "dependencyManagement"), "dependencies")
                .getElementsByTagName("dependency");
        Map<String, String> managed = new LinkedHashMap<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            managed.put(child(d, "groupId") + ":" + child(d, "artifactId"), child(d, "version"));
        }
        return managed;
    }

    static String parentProperty(String name) throws Exception {
        return child(element(pom("pom.xml"), "properties"), name);
    }

    @Test
    void the_bom_comes_first_and_manages_every_library_module_at_the_project_version() throws Exception {
        assertThat(modules()).first().isEqualTo("gatehouse-bom");
        assertThat(child(pom("gatehouse-bom/pom.xml"), "version")).isEqualTo(child(pom("pom.xml"), "version"));
        Map<String, String> managed = managedByBom();
        for (String module : modules()) {
            if (!NOT_IN_BOM.contains(module)) {
                assertThat(managed).as("gatehouse-bom manages " + module).containsEntry("io.gatehouse:" + module, "${project.version}");
            }
        }
    }

    @Test
    void the_bom_pins_the_jackson_and_native_crypto_versions_the_build_uses() throws Exception {
        Map<String, String> managed = managedByBom();
        assertThat(managed).containsEntry("tools.jackson:jackson-bom", parentProperty("jackson.version"));
        assertThat(managed).containsEntry("software.amazon.cryptools:AmazonCorrettoCryptoProvider", parentProperty("accp.version"));
        assertThat(managed.keySet()).allMatch(key -> key.startsWith("io.gatehouse:") || key.equals("tools.jackson:jackson-bom")
                || key.equals("software.amazon.cryptools:AmazonCorrettoCryptoProvider"));
    }

    @Test
    void the_bom_repeats_the_parents_licence_url_and_scm() throws Exception {
        Element parent = pom("pom.xml");
        Element bom = pom("gatehouse-bom/pom.xml");
        String site = parentProperty("gatehouse.site");
        assertThat(child(bom, "url")).isEqualTo(child(parent, "url").replace("${gatehouse.site}", site));
        assertThat(child(element(bom, "scm"), "url")).isEqualTo(site);
        assertThat(child(element(bom, "scm"), "connection")).isEqualTo("scm:git:" + site + ".git");
        assertThat(child(element(element(bom, "licenses"), "license"), "name"))
                .isEqualTo(child(element(element(parent, "licenses"), "license"), "name")).isEqualTo("Apache-2.0");
        assertThat(ROOT.resolve("LICENSE")).content().contains("Apache License", "Version 2.0, January 2004");
    }

    @Test
    void every_module_has_a_name_and_a_description() throws Exception {
        for (String module : modules()) {
            Element pom = pom(module + "/pom.xml");
            assertThat(child(pom, "name")).as(module + " name").isNotBlank();
            assertThat(child(pom, "description")).as(module + " description").isNotBlank();
        }
        assertThat(Files.exists(ROOT.resolve("examples/word-count/pom.xml"))).isTrue();
    }
}
