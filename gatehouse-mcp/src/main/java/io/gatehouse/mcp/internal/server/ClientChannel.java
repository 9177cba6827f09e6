package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.RequestContext;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link Relay} may do with one client session outside any request: learn who it is and what it can answer,
 * send it what belongs to no request (list-changed and resource-updated notifications, log messages, requests
 * such as {@code roots/list}) on its standalone stream, end it, and be told when it ends.
 */
public final class ClientChannel {

    private final McpSession session;
    private final Caller caller;
    private final Sessions sessions;
    private final RequestContext standalone;
    /** What runs when the channel closes; null once it has. */
    private List<Runnable> onClose = new ArrayList<>();

    ClientChannel(McpSession session, Caller caller, Sessions sessions, ClientRequests clientRequests) {
        this.session = session;
        this.caller = caller;
        this.sessions = sessions;
        this.standalone = new HandlerContext(caller, session, session::sendUnsolicited, null, clientRequests);
    }

    /** The session; the key of whatever the relay keeps for it (sessions compare by identity). */
    public McpSession session() {
        return session;
    }

    /** Who opened the session. */
    public Caller caller() {
        return caller;
    }

    /** The capabilities the client declared at {@code initialize}. */
    public JsonNode clientCapabilities() {
        return session.clientCapabilities();
    }

    /** Sends a notification on the session's standalone (GET) stream; false when none is open. */
    public boolean notify(String method, ObjectNode params) {
        return session.sendUnsolicited(new JsonRpcMessage.Notification(method, params));
    }

    /**
     * Sends a request to the client on its standalone stream and waits for the answer.
     *
     * @throws io.gatehouse.mcp.context.ClientRequestException when there is no such stream, or no answer in time
     */
    public JsonNode request(String method, ObjectNode params, Duration timeout) {
        return standalone.request(method, params, timeout);
    }

    /**
     * Ends the client session (its upstream is gone): its next request gets 404 and it initializes again. Its requests
     * still running are not cancelled: they answer with the errors the relay gives them, so a call the upstream was
     * serving gets an error, not silence.
     */
    public void end() {
        session.id().ifPresent(id -> sessions.end(id, false));
    }

    /**
     * Runs {@code action} once when the client session ends, or, for a stateless request, when the request is
     * answered; at once when that has happened already.
     */
    public void onClose(Runnable action) {
        synchronized (this) {
            if (onClose != null) {
                onClose.add(action);
                return;
            }
        }
        action.run();
    }

    void close() {
        List<Runnable> actions;
        synchronized (this) {
            actions = onClose;
            onClose = null;
        }
        if (actions != null) {
            actions.forEach(Runnable::run);
        }
    }
}
