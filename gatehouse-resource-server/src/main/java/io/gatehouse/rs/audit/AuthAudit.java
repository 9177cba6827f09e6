package io.gatehouse.rs.audit;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.log.LogText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every authorization decision: a counter {@code gatehouse.auth.decisions} tagged with the outcome, and
 * one INFO line on the {@code gatehouse.audit} logger (subject, client, method, target, outcome; never a token or
 * secret) for each denial and, unless {@code logAllowed} is off, for each allowed call too. Where the lines go is
 * the logging configuration's business: Gatehouse's buffers them, so a line costs about 1 µs of CPU, and escapes
 * control characters in them, as in every other line.
 */
public final class AuthAudit {

    private static final Logger LOG = LoggerFactory.getLogger("gatehouse.audit");

    private final Counter allowed;
    private final Counter denied;
    private final Counter invalid;
    private final Counter missing;
    private final Counter unavailable;
    private final boolean logAllowed;
    private final MeterRegistry registry;
    private final Map<String, Counter> upstreamCounters = new ConcurrentHashMap<>();

    public AuthAudit(MeterRegistry registry, boolean logAllowed) {
        this.logAllowed = logAllowed;
        this.registry = registry;
        this.allowed = counter(registry, "allowed");
        this.denied = counter(registry, "denied");
        this.invalid = counter(registry, "invalid");
        this.missing = counter(registry, "missing");
        this.unavailable = counter(registry, "unavailable");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("gatehouse.auth.decisions").tag("outcome", outcome)
                .description("Authorization decisions on the MCP endpoint").register(registry);
    }

    public void allowed(Caller caller, String method, String target) {
        allowed(caller, method, target, Optional.empty());
    }

    /**
     * An allowed call; a gateway names the {@code upstream} it goes to, which the line shows and which is counted in
     * {@code gatehouse.gateway.decisions} by outcome and upstream (upstream names are the operator's: few).
     */
    public void allowed(Caller caller, String method, String target, Optional<String> upstream) {
        allowed.increment();
        upstream.ifPresent(u -> upstreamCounter("allowed", u).increment());
        if (logAllowed && LOG.isInfoEnabled()) {
            // one line per allowed request: concatenated here, which is cheaper than a four-argument format
            LOG.info("allowed sub=" + shown(caller.subject()) + " client=" + shown(caller.clientId()) + " method=" + shown(method)
                    + target(target) + upstream(upstream));
        }
    }

    public void denied(Caller caller, String method, String target, String why) {
        denied(caller, method, target, why, Optional.empty());
    }

    /** A denied call; {@code upstream} as for {@link #allowed(Caller, String, String, Optional)}. */
    public void denied(Caller caller, String method, String target, String why, Optional<String> upstream) {
        denied.increment();
        upstream.ifPresent(u -> upstreamCounter("denied", u).increment());
        LOG.info("denied sub={} client={} method={}{}{}: {}", shown(caller.subject()), shown(caller.clientId()), shown(method),
                target(target), upstream(upstream), shown(why));
    }

    private Counter upstreamCounter(String outcome, String upstream) {
        return upstreamCounters.computeIfAbsent(outcome + "\u0000" + upstream, k -> Counter.builder("gatehouse.gateway.decisions")
                .tag("outcome", outcome).tag("upstream", upstream)
                .description("Authorization decisions on calls relayed to an upstream").register(registry));
    }

    private static String upstream(Optional<String> upstream) {
        return upstream.map(u -> " upstream=" + shown(u)).orElse("");
    }

    public void invalid(String why) {
        invalid.increment();
        LOG.info("invalid token: {}", shown(why));
    }

    public void missing() {
        missing.increment();
        LOG.debug("request without credentials");
    }

    public void unavailable(String why) {
        unavailable.increment();
        LOG.warn("cannot verify tokens: {}", shown(why));
    }

    private static String target(String target) {
        return target.isEmpty() ? "" : " target=" + shown(target);
    }

    /**
     * Values come from tokens and requests. A missing one is shown as '-'. Control characters that could end the
     * line and forge a second one (CR, LF, the other C0 and C1 controls, DEL, U+2028/U+2029) or reorder what a reader
     * sees (the bidirectional overrides and isolates) are escaped here, not only by Gatehouse's logback encoder: a
     * library server leaves logging to its application when that configures its own, and the audit log must stay
     * trustworthy there too. The same instance is returned when there is nothing to escape (the usual case).
     */
    static String shown(String value) {
        return value == null ? "-" : LogText.neutralise(value);
    }
}
