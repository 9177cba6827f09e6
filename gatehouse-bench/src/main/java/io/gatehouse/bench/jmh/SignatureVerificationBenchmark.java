package io.gatehouse.bench.jmh;

import io.gatehouse.rs.token.AccessToken;
import io.gatehouse.rs.token.JwtVerifier;
import io.gatehouse.rs.token.Signatures;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A token the cache has not seen: the whole {@link JwtVerifier#verify} (parse, key lookup, signature, claims),
 * with the JDK's providers and with the native one. The jdk rows are the baseline of the native rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureVerificationBenchmark {

    @Param({"RS256", "ES256"})
    public String algorithm;

    @Param({"jdk", "native"})
    public String provider;

    private JwtVerifier verifier;
    private String[] tokens;
    private int next;

    @Setup
    public void setUp() throws Exception {
        BenchTokens bench = new BenchTokens(algorithm);
        Signatures signatures = provider.equals("native") ? Signatures.preferNative() : Signatures.jdk();
        if (provider.equals("native") && !signatures.awaitNative()) {
            throw new IllegalStateException("the native provider did not load on this platform");
        }
        verifier = bench.verifier(signatures);
        tokens = bench.mint(64);
    }

    @Benchmark
    public AccessToken verify() {
        next = (next + 1) & 63;
        return verifier.verify(tokens[next]);
    }
}
