package io.gatehouse.transport;

import java.time.Duration;

/** A count of streams being served, which shutdown can wait to reach zero. Thread-safe. */
final class OpenStreams {

    private int open;

    /** How many are open now. */
    synchronized int count() {
        return open;
    }

    synchronized void opened() {
        open++;
    }

    synchronized void closed() {
        open--;
        if (open == 0) {
            notifyAll();
        }
    }

    /** Waits until no stream is open, at most {@code timeout}; returns whether none is. */
    synchronized boolean awaitNone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (open > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
