package io.gatehouse.transport;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Keep-alive comments for the open answers to 2026-07-28 requests (H-7), from one periodic task for all of them:
 * each tick, every answer open for at least one interval gets a comment. One task rather than one timer per request,
 * because scheduling and cancelling a timer on every request costs the scheduler's lock and a wake-up each time,
 * while almost every answer ends long before its first comment is due.
 */
final class KeepAlives {

    /** What a tick asks of an open answer: send a comment; false when the answer is over or its client gone. */
    interface Beating {
        boolean beat();
    }

    private final Duration interval;
    /** An open answer's registration: since when, and whether a comment is being written to it now. */
    private record Open(long since, AtomicBoolean beating) {
    }

    private final Map<Beating, Open> open = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();

    KeepAlives(Duration interval) {
        this.interval = interval;
    }

    /** Keeps {@code answer} alive until {@link #remove}; the first registration starts the ticks on {@code scheduler}. */
    void add(Beating answer, Scheduler scheduler) {
        open.put(answer, new Open(System.nanoTime(), new AtomicBoolean()));
        if (started.compareAndSet(false, true)) {
            schedule(scheduler);
        }
    }

    void remove(Beating answer) {
        open.remove(answer);
    }

    private void schedule(Scheduler scheduler) {
        try {
            scheduler.schedule(() -> tick(scheduler), interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            started.set(false); // the server is stopping: its answers end with it
        }
    }

    private void tick(Scheduler scheduler) {
        long due = System.nanoTime() - interval.toNanos();
        open.forEach((answer, registration) -> {
            // one write at a time per answer: a client that stops reading holds one thread, not one per tick
            if (registration.since() - due <= 0 && registration.beating().compareAndSet(false, true)) {
                // the scheduler's thread must not block on a slow client: the write runs on a virtual thread of its own
                Thread.ofVirtual().name("keep-alive").start(() -> {
                    try {
                        if (!answer.beat()) {
                            open.remove(answer);
                        }
                    } finally {
                        registration.beating().set(false);
                    }
                });
            }
        });
        schedule(scheduler);
    }
}
