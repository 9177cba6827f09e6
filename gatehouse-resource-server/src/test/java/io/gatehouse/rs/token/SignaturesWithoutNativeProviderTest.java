package io.gatehouse.rs.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ExternalProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The native provider is an optional dependency: in a JVM whose class path is this test's minus the provider's jar,
 * as in an application that does not add it, {@link Signatures#preferNative()} settles on the JDK, says so, and
 * verifies RS256 and ES256 signatures with it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SignaturesWithoutNativeProviderTest {

    @Test
    void without_the_provider_on_the_class_path_signatures_are_checked_by_the_jdk() throws Exception {
        String classPath = System.getProperty("java.class.path");
        String withoutProvider = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("AmazonCorrettoCryptoProvider"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(withoutProvider).as("the provider's jar was on the test class path").isNotEqualTo(classPath);
        Path arguments = Files.createTempFile("jdk-only-signatures", ".args");
        Files.writeString(arguments, "-cp " + withoutProvider + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(java, "@" + arguments, JdkOnlySignatures.class.getName()),
                Path.of("."), Map.of(), Duration.ofMinutes(1));

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output().lines()).contains(
                "provider on the class path: false",
                "native loaded: false",
                "description: JDK",
                "keys kept as the JDK's: true",
                "RS256 provider: null",
                "RS256 verified: true",
                "ES256 verified: true",
                "ES256 with another key verified: false");
        Files.delete(arguments);
    }
}
