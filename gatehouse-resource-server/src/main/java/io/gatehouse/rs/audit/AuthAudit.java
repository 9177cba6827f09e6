package io.gatehouse.rs.audit;

import io.gatehouse.mcp.server.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every authorization decision: a counter {@code gatehouse.auth.decisions} tagged with the outcome, and
 * one INFO line on the {@code gatehouse.audit} logger (subject, client, method, target, outcome; never a token or
 * secret) for each denial and, unless {@code logAllowed} is off, for each allowed call too. Where the lines go is
 * the logging configuration's business: Gatehouse's buffers them, so a line costs about 1 µs of CPU.
 */
public final class AuthAudit {

    private static final Logger LOG = LoggerFactory.getLogger("gatehouse.audit");

    private final Counter allowed;
    private final Counter denied;
    private final Counter invalid;
    private final Counter missing;
    private final Counter unavailable;
    private final boolean logAllowed;

    public AuthAudit(MeterRegistry registry, boolean logAllowed) {
        this.logAllowed = logAllowed;
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
        allowed.increment();
        if (logAllowed && LOG.isInfoEnabled()) {
            // one line per allowed request: concatenated here, which is cheaper than a four-argument format
            LOG.info("allowed sub=" + clean(caller.subject()) + " client=" + clean(caller.clientId()) + " method=" + clean(method)
                    + target(target));
        }
    }

    public void denied(Caller caller, String method, String target, String why) {
        denied.increment();
        LOG.info("denied sub={} client={} method={}{}: {}", clean(caller.subject()), clean(caller.clientId()), clean(method),
                target(target), clean(why));
    }

    public void invalid(String why) {
        invalid.increment();
        LOG.info("invalid token: {}", clean(why));
    }

    public void missing() {
        missing.increment();
        LOG.debug("request without credentials");
    }

    public void unavailable(String why) {
        unavailable.increment();
        LOG.warn("cannot verify tokens: {}", clean(why));
    }

    private static String target(String target) {
        return target.isEmpty() ? "" : " target=" + clean(target);
    }

    /** Values come from tokens and requests: control characters (a forged second line) are shown as '?'. */
    static String clean(String value) {
        if (value == null) {
            return "-";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                StringBuilder cleaned = new StringBuilder(value);
                for (int j = i; j < cleaned.length(); j++) {
                    if (Character.isISOControl(cleaned.charAt(j))) {
                        cleaned.setCharAt(j, '?');
                    }
                }
                return cleaned.toString();
            }
        }
        return value;
    }
}
