package io.gatehouse.client.oauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A response body read as UTF-8 text (JSON and server-sent events are UTF-8) up to a byte limit: a declared
 * {@code Content-Length} above it is refused before reading, and a body that grows past it is cancelled at
 * the limit, so a 100 MB document costs at most the limit in memory.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {

    /** The body went past the limit. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("response body too large", null);
        }
    }

    /** Hands out the subscriber for the response, and lets the caller cancel it when its deadline passes. */
    static final class Handler implements HttpResponse.BodyHandler<String> {
        private final long maxBytes;
        private final AtomicReference<BoundedBody> current = new AtomicReference<>();

        Handler(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            BoundedBody body = new BoundedBody(maxBytes, declared > maxBytes);
            current.set(body);
            return body;
        }

        void cancel() {
            BoundedBody body = current.get();
            if (body != null) {
                body.fail(new IOException("deadline passed"));
            }
        }
    }

    private final long maxBytes;
    private final boolean declaredTooLarge;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    private BoundedBody(long maxBytes, boolean declaredTooLarge) {
        this.maxBytes = maxBytes;
        this.declaredTooLarge = declaredTooLarge;
    }

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declaredTooLarge) {
            fail(new TooLarge());
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + (long) buffer.remaining() > maxBytes) {
                fail(new TooLarge());
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toString(StandardCharsets.UTF_8));
    }

    private void fail(IOException reason) {
        if (result.completeExceptionally(reason)) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
