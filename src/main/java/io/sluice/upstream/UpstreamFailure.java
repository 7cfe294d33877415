package io.sluice.upstream;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.CircularRedirectException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.RedirectException;

/** One classified failure of an upstream (SPEC 9.2): what went wrong, and the status a waiting player gets. */
public record UpstreamFailure(Kind kind, int statusCode, String message) {

    public enum Kind {
        /** Could not connect: refused, unreachable, unknown host. */
        CONNECT,
        /** Connect or response-header timeout. */
        TIMEOUT,
        /** The upstream answered with a status of 400 or more. */
        STATUS,
        /** The body is not the expected media: HTML, an empty body, a playlist where TS was expected. */
        NOT_MEDIA,
        /** No bytes for the live chunk timeout. */
        STALL,
        /** The connection broke while reading. */
        READ_ERROR,
        /** A redirect loop or too many hops. */
        REDIRECT,
        /** An HLS playlist where TS was expected: the stream is HLS, not a failure of its source. */
        HLS_PLAYLIST,
        /** The transcoder (FFmpeg) could not start or ended with an error its output does not explain. */
        TRANSCODER,
        /** Bytes flow, but only null packets (SPEC 9.8). */
        NULL_ONLY,
        /** Bytes flow, but no audio or video payload. */
        NO_MEDIA,
        /** Bytes flow, but the programme clock (PCR) does not advance. */
        PCR_STALLED,
        /** The programme lists video, but its PID carries nothing. */
        VIDEO_MISSING,
        /** A live HLS media playlist that has not advanced for three target durations. */
        PLAYLIST_STALE,
        /** FFmpeg's silencedetect heard silence in as many consecutive checks as the stream allows. */
        SILENCE
    }

    /** The status a player that has received nothing yet is answered with (DESIGN: timeout 504, else 502). */
    public int playerStatus() {
        if (kind == Kind.TRANSCODER && statusCode > 0) {
            return statusCode; // 503: no transcoder to be had here
        }
        return kind == Kind.TIMEOUT || kind == Kind.STALL ? 504 : 502;
    }

    /** The reason word used in events and logs. */
    public String reason() {
        return switch (kind) {
            case CONNECT -> "connection_error";
            case TIMEOUT -> "timeout";
            case STATUS -> "http_" + statusCode;
            case NOT_MEDIA -> "invalid_content";
            case STALL -> "chunk_timeout";
            case READ_ERROR -> "read_error";
            case REDIRECT -> "redirect_loop";
            case HLS_PLAYLIST -> "hls_playlist";
            case TRANSCODER -> "transcoder_error";
            case NULL_ONLY -> "null_only";
            case NO_MEDIA -> "no_media";
            case PCR_STALLED -> "pcr_stalled";
            case VIDEO_MISSING -> "video_missing";
            case PLAYLIST_STALE -> "playlist_stale";
            case SILENCE -> "silence";
        };
    }

    public static UpstreamFailure status(int code) {
        return new UpstreamFailure(Kind.STATUS, code, "Upstream answered HTTP " + code);
    }

    public static UpstreamFailure notMedia(String why) {
        return new UpstreamFailure(Kind.NOT_MEDIA, 0, "Upstream did not send media: " + why);
    }

    public static UpstreamFailure hlsPlaylist() {
        return new UpstreamFailure(Kind.HLS_PLAYLIST, 0, "Upstream serves an HLS playlist");
    }

    /** The transcoder failed; {@code playerStatus} is 503 when none can run here, 0 otherwise (502). */
    public static UpstreamFailure transcoder(int playerStatus, String message) {
        return new UpstreamFailure(Kind.TRANSCODER, playerStatus, message);
    }

    /** The transport stream is broken while its connection is up: {@code kind} is one of the media kinds. */
    public static UpstreamFailure media(Kind kind, double seconds) {
        String what = switch (kind) {
            case NULL_ONLY -> "only null packets";
            case NO_MEDIA -> "no audio or video";
            case PCR_STALLED -> "a programme clock (PCR) that does not advance";
            case VIDEO_MISSING -> "no packets on the programme's video PID";
            default -> throw new IllegalArgumentException(kind + " is not a media failure");
        };
        return new UpstreamFailure(kind, 0, "Upstream sent " + what + " for " + seconds + " s");
    }

    public static UpstreamFailure playlistStale(int targetDuration) {
        return new UpstreamFailure(Kind.PLAYLIST_STALE, 0,
                "Upstream playlist has not advanced for " + 3 * targetDuration + " s (3 target durations)");
    }

    public static UpstreamFailure silence(int checks, double thresholdDb) {
        return new UpstreamFailure(Kind.SILENCE, 0,
                "Upstream audio silent (below " + thresholdDb + " dB) in " + checks + " consecutive checks");
    }

    public static UpstreamFailure stall(long seconds) {
        return new UpstreamFailure(Kind.STALL, 0, "Upstream sent no data for " + seconds + " s");
    }

    /** A connection made while recovering brought no data in time: the source is still silent. */
    public static UpstreamFailure noFirstData(long millis) {
        return new UpstreamFailure(Kind.STALL, 0, "Upstream sent no data within " + millis + " ms of the request");
    }

    public static UpstreamFailure classify(Throwable t) {
        if (t instanceof UpstreamFailureException u) {
            return u.failure();
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UpstreamFailureException u) {
                return u.failure();
            }
            if (c instanceof ConnectTimeoutException || c instanceof SocketTimeoutException) {
                return new UpstreamFailure(Kind.TIMEOUT, 0, "Upstream timed out");
            }
            if (c instanceof HttpHostConnectException || c instanceof ConnectException
                    || c instanceof NoRouteToHostException) {
                return new UpstreamFailure(Kind.CONNECT, 0, "Upstream connection refused or unreachable");
            }
            if (c instanceof UnknownHostException) {
                return new UpstreamFailure(Kind.CONNECT, 0, "Upstream host not found");
            }
            if (c instanceof CircularRedirectException || c instanceof RedirectException) {
                return new UpstreamFailure(Kind.REDIRECT, 0, "Upstream redirect loop or too many redirects");
            }
            if (c instanceof InterruptedIOException) {
                return new UpstreamFailure(Kind.TIMEOUT, 0, "Upstream timed out");
            }
        }
        return new UpstreamFailure(Kind.READ_ERROR, 0, "Upstream connection failed");
    }
}
