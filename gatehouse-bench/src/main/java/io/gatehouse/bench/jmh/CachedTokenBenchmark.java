package io.gatehouse.bench.jmh;

import io.gatehouse.rs.audit.AuthAudit;
import io.gatehouse.rs.bearer.BearerAuthentication;
import io.gatehouse.rs.token.CachingVerifier;
import io.gatehouse.rs.token.Signatures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The warm path of the load benchmark, without HTTP: {@link BearerAuthentication#authenticate} of an
 * {@code Authorization} header whose RS256 token the verified-token cache holds (1,000 distinct tokens cycled).
 * {@code headerOnly} is its baseline: taking the header apart and checking the token's syntax, no lookup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CachedTokenBenchmark {

    private static final int TOKENS = 1_000;

    private BearerAuthentication authentication;
    private BearerAuthentication syntaxOnly;
    private List<List<String>> headers;
    private int next;

    @Setup
    public void setUp() throws Exception {
        BenchTokens bench = new BenchTokens("RS256");
        CachingVerifier cache = new CachingVerifier(bench.verifier(Signatures.jdk()), 10_000, Duration.ofDays(1), Clock.systemUTC());
        AuthAudit audit = new AuthAudit(new SimpleMeterRegistry(), false);
        authentication = new BearerAuthentication(cache, 8192, audit);
        syntaxOnly = new BearerAuthentication(token -> null, 8192, audit);
        headers = java.util.Arrays.stream(bench.mint(TOKENS)).map(token -> List.of("Bearer " + token)).toList();
        headers.forEach(authentication::authenticate);
    }

    @Benchmark
    public BearerAuthentication.Result cachedToken() {
        next = next == TOKENS - 1 ? 0 : next + 1;
        return authentication.authenticate(headers.get(next));
    }

    @Benchmark
    public BearerAuthentication.Result headerOnly() {
        next = next == TOKENS - 1 ? 0 : next + 1;
        return syntaxOnly.authenticate(headers.get(next));
    }
}
