package org.maas.api.testing;

import java.time.Duration;

/** Retries an assertion until it holds or the deadline passes; for changes that arrive asynchronously. */
public final class Eventually {

    private Eventually() {
    }

    public static void assertThat(Duration within, Runnable assertion) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
