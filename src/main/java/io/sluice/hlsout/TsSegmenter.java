package io.sluice.hlsout;

import io.sluice.ts.EsKind;
import io.sluice.ts.Pat;
import io.sluice.ts.Pes;
import io.sluice.ts.Pmt;
import io.sluice.ts.SectionAssembler;
import io.sluice.ts.TsPacket;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Cuts an MPEG-TS byte stream (FFmpeg's output) into HLS segments: a new segment starts at a video key frame
 * (FFmpeg's muxer sets the random access indicator on them) once the current one has reached the target duration,
 * and begins with the latest PAT and PMT so every segment decodes on its own. Durations come from the PES
 * timestamps. Audio-only streams are cut on audio packets. Pure: bytes in, segments out, no I/O; the packets
 * and tables are read with {@code io.sluice.ts}.
 */
public final class TsSegmenter {
    static final int PACKET = TsPacket.SIZE;
    /** A segment is cut here whatever the key frames do, so one segment stays a bounded piece of memory. */
    static final int MAX_SEGMENT_BYTES = 32 * 1024 * 1024;
    private static final long PTS_MASK = Pes.PTS_WRAP - 1;

    /** One cut segment: its bytes and its duration in seconds. */
    public record Cut(byte[] bytes, double seconds) {
    }

    private final long targetTicks;
    private final Consumer<Cut> out;
    private final byte[] carry = new byte[PACKET];
    private int carried;
    private final SectionAssembler patSection = new SectionAssembler();
    private final SectionAssembler pmtSection = new SectionAssembler();
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
            if (TsPacket.isSync(carry, 0)) {
                packet(carry, 0);
            }
        }
        while (i < end) {
            if (!TsPacket.isSync(b, i)) {
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
        int pid = TsPacket.pid(b, at);
        if (pid == TsPacket.PAT_PID) {
            pat = copy(b, at);
            if (patSection.offer(b, at)) {
                readPat();
            }
            append(b, at);
            return;
        }
        if (pid == pmtPid) {
            pmt = copy(b, at);
            if (pmtSection.offer(b, at)) {
                readPmt();
            }
            append(b, at);
            return;
        }
        int cutPid = videoPid >= 0 ? videoPid : audioPid;
        if (pid == cutPid) {
            long pts = Pes.pts(b, at);
            boolean key = videoPid < 0 || TsPacket.randomAccess(b, at);
            if (pts != Pes.NO_PTS) {
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

    private void readPat() {
        Pat table = Pat.parse(patSection.section(), patSection.sectionLength());
        if (table != null && table.pmtPid() != pmtPid) {
            pmtPid = table.pmtPid();
            pmtSection.reset(); // what it held belonged to the old PID
        }
    }

    private void readPmt() {
        Pmt table = Pmt.parse(pmtSection.section(), pmtSection.sectionLength());
        if (table != null) {
            // Cut on the first video stream; the key frames are what make a segment decodable on its own.
            videoPid = table.firstPid(EsKind.VIDEO);
            audioPid = table.firstPid(EsKind.AUDIO);
        }
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

    private static byte[] copy(byte[] b, int at) {
        byte[] p = new byte[PACKET];
        System.arraycopy(b, at, p, 0, PACKET);
        return p;
    }
}
