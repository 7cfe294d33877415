package io.sluice.transcode;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One of the bounded places an FFmpeg process runs in ({@link Transcoders}), held by the feed that runs it and
 * given back once: when its process has exited, not when it was asked to go, or at once when none ran.
 */
final class ProcessSlot {
    private final AtomicBoolean held;
    private final Runnable giveBack;

    ProcessSlot(boolean held, Runnable giveBack) {
        this.held = new AtomicBoolean(held);
        this.giveBack = giveBack;
    }

    boolean held() {
        return held.get();
    }

    /** Asks {@code p} to end, if one ran, and gives the slot back once it is gone (at once when {@code p} is null). */
    void releaseAfter(Process p) {
        if (p == null) {
            release();
        } else {
            TranscoderProcess.end(p);
            p.onExit().thenRun(this::release);
        }
    }

    private void release() {
        if (held.compareAndSet(true, false)) {
            giveBack.run();
        }
    }
}
