package io.sluice.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A 16-bit PCM WAV as decoded audio to check: how long it is, and which tone it carries where. */
public record Wav(int sampleRate, int channels, short[] samples) {

    public static Wav read(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int rate = 0;
        int channels = 1;
        int pos = 12;
        while (pos + 8 <= b.length) {
            String id = new String(b, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int len = buf.getInt(pos + 4);
            if (id.equals("fmt ")) {
                channels = buf.getShort(pos + 10);
                rate = buf.getInt(pos + 12);
            } else if (id.equals("data")) {
                // afile may leave the length unset while it writes: take what is there.
                int n = (len <= 0 || pos + 8 + len > b.length ? b.length - pos - 8 : len) / 2;
                short[] s = new short[n];
                buf.position(pos + 8);
                buf.asShortBuffer().get(s);
                return new Wav(rate, channels, s);
            }
            pos += 8 + Math.max(0, len);
        }
        return new Wav(rate, channels, new short[0]);
    }

    public double seconds() {
        return rate() == 0 ? 0 : samples.length / (double) channels / rate();
    }

    private int rate() {
        return sampleRate;
    }

    /** The tone (Hz, from zero crossings) of the first channel over {@code [from, from + length)} seconds. */
    public double toneAt(double from, double length) {
        int start = (int) (from * sampleRate) * channels;
        int end = Math.min(samples.length, (int) ((from + length) * sampleRate) * channels);
        int crossings = 0;
        int loud = 0;
        for (int i = start + channels; i < end; i += channels) {
            if ((samples[i - channels] < 0) != (samples[i] < 0)) {
                crossings++;
            }
            if (Math.abs(samples[i]) > 1000) {
                loud++;
            }
        }
        if (loud < (end - start) / channels / 10) {
            return 0; // silence
        }
        return crossings / 2.0 / ((end - start) / (double) channels / sampleRate);
    }
}
