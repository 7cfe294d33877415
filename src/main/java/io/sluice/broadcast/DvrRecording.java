package io.sluice.broadcast;

import io.sluice.hlsout.SegmentWindow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A broadcast's {@code dvr_mode} recording: every segment written to {@code <BROADCAST_DVR_DIR>/broadcast_<id>/}
 * with a playlist listing all of them (m3u-proxy's layout, which M3U Editor post-processes from the callback's
 * {@code hls_dir}). Bounded by {@code BROADCAST_DVR_MAX_MB}: past it, recording stops and the live window goes
 * on. The directory goes with {@code DELETE /broadcast/{id}}, at shutdown, and at the next start-up's sweep.
 */
final class DvrRecording {
    private static final Logger LOG = Logger.getLogger(DvrRecording.class.getName());
    static final String PREFIX = "broadcast_";

    private final Path dir;
    private final long maxBytes;
    private final List<String> entries = new ArrayList<>();
    private long bytes;
    private int target = 1;
    private boolean full;

    DvrRecording(Path base, String networkId, long maxBytes) {
        this.dir = base.resolve(PREFIX + networkId);
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Writes one segment and the playlist; called on the FFmpeg reader's thread, so a slow disk holds FFmpeg. */
    synchronized void write(SegmentWindow.Segment s) {
        if (full) {
            return;
        }
        if (bytes + s.bytes().length > maxBytes) {
            full = true;
            LOG.warning(() -> "DVR recording in " + dir + " reached BROADCAST_DVR_MAX_MB; later segments are not kept");
            return;
        }
        try {
            Files.write(dir.resolve(s.name()), s.bytes());
            bytes += s.bytes().length;
            target = Math.max(target, (int) Math.ceil(s.seconds() - 0.0005));
            entries.add((s.discontinuity() && !entries.isEmpty() ? "#EXT-X-DISCONTINUITY\n" : "")
                    + "#EXTINF:" + String.format(Locale.ROOT, "%.3f", s.seconds()) + ",\n" + s.name() + "\n");
            Path tmp = dir.resolve("live.m3u8.tmp");
            Files.writeString(tmp, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + target
                    + "\n#EXT-X-MEDIA-SEQUENCE:0\n" + String.join("", entries));
            Files.move(tmp, dir.resolve("live.m3u8"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            full = true;
            LOG.warning(() -> "DVR recording in " + dir + " stopped: " + e.getMessage());
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    void delete() {
        removeTree(dir);
    }

    /** Removes every recording a previous run left under {@code base}; creates {@code base} if needed. */
    static int sweep(Path base) {
        int removed = 0;
        try {
            Files.createDirectories(base);
            try (DirectoryStream<Path> children = Files.newDirectoryStream(base, PREFIX + "*")) {
                for (Path p : children) {
                    removeTree(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warning(() -> "BROADCAST_DVR_DIR " + base + " could not be swept: " + e.getMessage());
        }
        return removed;
    }

    private static void removeTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            LOG.warning(() -> "could not remove " + p + ": " + e.getMessage());
        }
    }
}
