package io.gatehouse.rs.audit;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.log.LogText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every authorization decision: a counter {@code gatehouse.auth.decisions} tagged with the outcome and its
 * reason (both from fixed sets: {@link #REASONS}), and one INFO line on the {@code gatehouse.audit} logger (subject,
 * client, method, target, outcome; never a token or secret) for each denial and, unless {@code logAllowed} is off,
 * for each allowed call too. Where the lines go is the logging configuration's business: Gatehouse's buffers them,
 * so a line costs about 1 µs of CPU, and escapes control characters in them, as in every other line.
 */
public final class AuthAudit {

    private static final Logger LOG = LoggerFactory.getLogger("gatehouse.audit");

    /** Why a call was denied: the {@code reason} of a {@code denied} decision. */
    public enum DenialReason {
        /** The token lacks a scope the operation needs (403 {@code insufficient_scope}). */
        INSUFFICIENT_SCOPE,
        /** The caller lacks a role the operation needs. */
        MISSING_ROLE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Every outcome with the reasons it is counted under: the only label values of {@code gatehouse.auth.decisions}
     * (each counter exists from the start, at zero).
     */
    public static final Map<String, List<String>> REASONS = orderedReasons();

    private final Map<String, Counter> decisions;
    private final Counter allowed;
    private final boolean logAllowed;
    private final MeterRegistry registry;
    private final Map<String, Counter> upstreamCounters = new ConcurrentHashMap<>();

    public AuthAudit(MeterRegistry registry, boolean logAllowed) {
        this.logAllowed = logAllowed;
        this.registry = registry;
        Map<String, Counter> counters = new HashMap<>();
        REASONS.forEach((outcome, reasons) -> reasons.forEach(reason -> counters.put(outcome + ' ' + reason,
                Counter.builder("gatehouse.auth.decisions").tag("outcome", outcome).tag("reason", reason)
                        .description("Authorization decisions on the MCP endpoint").register(registry))));
        this.decisions = Map.copyOf(counters);
        this.allowed = decisions.get("allowed granted"); // the hot path: no lookup
    }

    private static Map<String, List<String>> orderedReasons() {
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        reasons.put("allowed", List.of("granted"));
        reasons.put("denied", List.of(DenialReason.INSUFFICIENT_SCOPE.label(), DenialReason.MISSING_ROLE.label()));
        reasons.put("invalid", List.of("malformed", "expired", "rejected"));
        reasons.put("missing", List.of("no_token"));
        reasons.put("unavailable", List.of("verifier_unavailable"));
        return java.util.Collections.unmodifiableMap(reasons);
    }

    private void count(String outcome, String reason) {
        decisions.get(outcome + ' ' + reason).increment();
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

    public void denied(Caller caller, String method, String target, DenialReason reason, String why) {
        denied(caller, method, target, reason, why, Optional.empty());
    }

    /** A denied call; {@code upstream} as for {@link #allowed(Caller, String, String, Optional)}. */
    public void denied(Caller caller, String method, String target, DenialReason reason, String why, Optional<String> upstream) {
        count("denied", reason.label());
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

    /** A header that is no bearer token of the accepted form (several headers, too long, not a b64token). */
    public void malformed(String why) {
        count("invalid", "malformed");
        LOG.info("invalid token: {}", shown(why));
    }

    /** A token the verifier refused; {@code expired} when that was the only fault. */
    public void invalid(boolean expired, String why) {
        count("invalid", expired ? "expired" : "rejected");
        LOG.info("invalid token: {}", shown(why));
    }

    public void missing() {
        count("missing", "no_token");
        LOG.debug("request without credentials");
    }

    public void unavailable(String why) {
        count("unavailable", "verifier_unavailable");
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
