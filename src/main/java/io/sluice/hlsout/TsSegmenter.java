package io.sluice.hlsout;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Cuts an MPEG-TS byte stream (FFmpeg's output) into HLS segments: a new segment starts at a video key frame
 * (FFmpeg's muxer sets the random access indicator on them) once the current one has reached the target duration,
 * and begins with the latest PAT and PMT so every segment decodes on its own. Durations come from the PES
 * timestamps. Audio-only streams are cut on audio packets. Pure: bytes in, segments out, no I/O.
 */
public final class TsSegmenter {
    static final int PACKET = 188;
    /** A segment is cut here whatever the key frames do, so one segment stays a bounded piece of memory. */
    static final int MAX_SEGMENT_BYTES = 32 * 1024 * 1024;
    private static final long PTS_MASK = (1L << 33) - 1;

    /** One cut segment: its bytes and its duration in seconds. */
    public record Cut(byte[] bytes, double seconds) {
    }

    private final long targetTicks;
    private final Consumer<Cut> out;
    private final byte[] carry = new byte[PACKET];
    private int carried;
    private byte[] pat;
    private byte[] pmt;
    private int pmtPid = -1;
    private int videoPid = -1;
    private int audioPid = -1;
    private ByteArrayOutputStream segment;
    private long startPts = -1;
    private long lastPts = -1;
    private long lastStep;

    public TsSegmenter(int targetSeconds, Consumer<Cut> out) {
        this.targetTicks = targetSeconds * 90_000L;
        this.out = out;
    }

    /** Takes the next bytes, in any chunking. */
    public void accept(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        if (carried > 0) {
            int n = Math.min(PACKET - carried, len);
            System.arraycopy(b, i, carry, carried, n);
            carried += n;
            i += n;
            if (carried < PACKET) {
                return;
            }
            carried = 0;
            if (carry[0] == 0x47) {
                packet(carry, 0);
            }
        }
        while (i < end) {
            if (b[i] != 0x47) {
                i++; // lost sync: look for the next sync byte
                continue;
            }
            if (end - i < PACKET) {
                System.arraycopy(b, i, carry, 0, end - i);
                carried = end - i;
                return;
            }
            packet(b, i);
            i += PACKET;
        }
    }

    /** The stream ended: what was collected since the last cut is the last segment. */
    public void finish() {
        if (segment != null && segment.size() > 0 && startPts >= 0 && lastPts >= 0) {
            long ticks = ((lastPts - startPts) & PTS_MASK) + lastStep;
            emit(ticks);
        }
        segment = null;
    }

    private void packet(byte[] b, int at) {
        int pid = ((b[at + 1] & 0x1f) << 8) | (b[at + 2] & 0xff);
        boolean start = (b[at + 1] & 0x40) != 0;
        int afc = (b[at + 3] >> 4) & 3;
        int payload = at + 4;
        boolean randomAccess = false;
        if ((afc & 2) != 0) {
            int afLength = b[at + 4] & 0xff;
            randomAccess = afLength > 0 && (b[at + 5] & 0x40) != 0;
            payload = at + 5 + afLength;
        }
        boolean hasPayload = (afc & 1) != 0 && payload < at + PACKET;
        if (pid == 0) {
            pat = copy(b, at);
            if (start && hasPayload) {
                readPat(b, payload, at + PACKET);
            }
            append(b, at);
            return;
        }
        if (pid == pmtPid) {
            pmt = copy(b, at);
            if (start && hasPayload) {
                readPmt(b, payload, at + PACKET);
            }
            append(b, at);
            return;
        }
        int cutPid = videoPid >= 0 ? videoPid : audioPid;
        if (pid == cutPid && start && hasPayload) {
            long pts = pts(b, payload, at + PACKET);
            boolean key = videoPid < 0 || randomAccess;
            if (pts >= 0) {
                if (lastPts >= 0) {
                    long step = (pts - lastPts) & PTS_MASK;
                    if (step > 0 && step < 90_000) {
                        lastStep = step;
                    }
                }
                if (key && segment == null) {
                    open(pts);
                } else if (key && segment != null && startPts >= 0 && ((pts - startPts) & PTS_MASK) >= targetTicks) {
                    emit((pts - startPts) & PTS_MASK);
                    open(pts);
                }
                lastPts = pts;
            }
        }
        if (segment != null && segment.size() + PACKET > MAX_SEGMENT_BYTES) {
            emit(lastPts >= 0 && startPts >= 0 ? (lastPts - startPts) & PTS_MASK : targetTicks);
            open(lastPts);
        }
        append(b, at);
    }

    private void open(long pts) {
        segment = new ByteArrayOutputStream(256 * 1024);
        if (pat != null) {
            segment.write(pat, 0, PACKET);
        }
        if (pmt != null) {
            segment.write(pmt, 0, PACKET);
        }
        startPts = pts;
    }

    private void emit(long ticks) {
        out.accept(new Cut(segment.toByteArray(), ticks / 90_000.0));
        segment = null;
    }

    private void append(byte[] b, int at) {
        if (segment != null) {
            segment.write(b, at, PACKET);
        }
    }

    private void readPat(byte[] b, int p, int end) {
        p += 1 + (b[p] & 0xff); // pointer field
        if (p + 8 > end || b[p] != 0x00) {
            return;
        }
        int sectionLength = ((b[p + 1] & 0x0f) << 8) | (b[p + 2] & 0xff);
        int entries = Math.min(p + 3 + sectionLength - 4, end);
        for (int e = p + 8; e + 4 <= entries; e += 4) {
            int program = ((b[e] & 0xff) << 8) | (b[e + 1] & 0xff);
            if (program != 0) {
                pmtPid = ((b[e + 2] & 0x1f) << 8) | (b[e + 3] & 0xff);
                return;
            }
        }
    }

    private void readPmt(byte[] b, int p, int end) {
        p += 1 + (b[p] & 0xff);
        if (p + 12 > end || b[p] != 0x02) {
            return;
        }
        int sectionLength = ((b[p + 1] & 0x0f) << 8) | (b[p + 2] & 0xff);
        int last = Math.min(p + 3 + sectionLength - 4, end);
        int infoLength = ((b[p + 10] & 0x0f) << 8) | (b[p + 11] & 0xff);
        int video = -1;
        int audio = -1;
        for (int e = p + 12 + infoLength; e + 5 <= last; ) {
            int type = b[e] & 0xff;
            int pid = ((b[e + 1] & 0x1f) << 8) | (b[e + 2] & 0xff);
            int esInfo = ((b[e + 3] & 0x0f) << 8) | (b[e + 4] & 0xff);
            if (video < 0 && isVideo(type)) {
                video = pid;
            } else if (audio < 0 && isAudio(type)) {
                audio = pid;
            }
            e += 5 + esInfo;
        }
        videoPid = video;
        audioPid = audio;
    }

    private static boolean isVideo(int type) {
        return type == 0x01 || type == 0x02 || type == 0x10 || type == 0x1b || type == 0x24 || type == 0x42;
    }

    private static boolean isAudio(int type) {
        return type == 0x03 || type == 0x04 || type == 0x0f || type == 0x11 || type == 0x81 || type == 0x87;
    }

    /** The PTS of the PES starting at {@code p}, or -1. */
    static long pts(byte[] b, int p, int end) {
        if (p + 14 > end || b[p] != 0 || b[p + 1] != 0 || b[p + 2] != 1 || (b[p + 7] & 0x80) == 0) {
            return -1;
        }
        int q = p + 9;
        return (((long) (b[q] & 0x0e)) << 29) | ((b[q + 1] & 0xffL) << 22) | (((long) (b[q + 2] & 0xfe)) << 14)
                | ((b[q + 3] & 0xffL) << 7) | ((b[q + 4] & 0xfeL) >> 1);
    }

    private static byte[] copy(byte[] b, int at) {
        byte[] p = new byte[PACKET];
        System.arraycopy(b, at, p, 0, PACKET);
        return p;
    }
}
