package io.sluice.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 upstream on 127.0.0.1 for tests: paced live TS, finite files, redirects and loops, stalls,
 * resets, chosen statuses and HTML served as video. Every request arrives on its own connection
 * ({@code Connection: close}), so request counts are connection counts.
 */
public final class TestUpstream implements AutoCloseable {

    /** What the upstream does with one request. */
    @FunctionalInterface
    public interface Handler {
        void serve(Exchange ex) throws IOException;
    }

    private final ServerSocket server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-upstream");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, Handler> prefixRoutes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, String>>> headers = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<Socket, String> serving = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private TestUpstream(ServerSocket server) {
        this.server = server;
        workers.execute(this::acceptLoop);
    }

    public static TestUpstream start() {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
            return new TestUpstream(s);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a loopback port", e);
        }
    }

    public TestUpstream route(String path, Handler handler) {
        routes.put(path, handler);
        return this;
    }

    /** A handler for every path under {@code prefix} that has no exact route. */
    public TestUpstream routePrefix(String prefix, Handler handler) {
        prefixRoutes.put(prefix, handler);
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Requests (= connections) received for {@code path} so far. */
    public int requests(String path) {
        return counter(requests, path).get();
    }

    /** Requests received for every path that starts with {@code prefix}. */
    public int requestsStartingWith(String prefix) {
        return requests.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Connections for {@code path} being served right now. */
    public int openConnections(String path) {
        return counter(open, path).get();
    }

    public int openConnections() {
        return open.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Body bytes written for {@code path}, over all its requests. */
    public long bytesSent(String path) {
        return sent.computeIfAbsent(path, k -> new AtomicLong()).get();
    }

    /** The request headers (names lowercased) of each request to {@code path}. */
    public List<Map<String, String>> requestHeaders(String path) {
        return headers.getOrDefault(path, List.of());
    }

    /** When each request to {@code path} arrived ({@link System#nanoTime()}), in order. */
    public List<Long> arrivals(String path) {
        return arrivals.getOrDefault(path, List.of());
    }

    private static AtomicInteger counter(Map<String, AtomicInteger> m, String path) {
        return m.computeIfAbsent(path, k -> new AtomicInteger());
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                workers.execute(() -> handle(s));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("test upstream accept failed: " + e);
                }
            }
        }
    }

    private void handle(Socket socket) {
        String path = null;
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String requestLine = readLine(in);
            if (requestLine == null) {
                return;
            }
            String[] parts = requestLine.split(" ");
            String target = parts.length > 1 ? parts[1] : "/";
            int q = target.indexOf('?');
            path = q >= 0 ? target.substring(0, q) : target;
            Map<String, String> head = new TreeMap<>();
            for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    head.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            headers.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>()).add(head);
            arrivals.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
            counter(requests, path).incrementAndGet();
            counter(open, path).incrementAndGet();
            serving.put(socket, path);
            try {
                Handler h = routes.get(path);
                if (h == null) {
                    String p = path;
                    h = prefixRoutes.entrySet().stream().filter(e -> p.startsWith(e.getKey()))
                            .max(java.util.Comparator.comparingInt(e -> e.getKey().length()))
                            .map(Map.Entry::getValue).orElse(null);
                }
                Exchange ex = new Exchange(socket, in, parts[0], path, target, head,
                        sent.computeIfAbsent(path, k -> new AtomicLong()));
                if (h == null) {
                    ex.respond(404, "text/plain", "no route".getBytes(StandardCharsets.UTF_8));
                } else {
                    h.serve(ex);
                }
            } finally {
                counter(open, path).decrementAndGet();
            }
        } catch (IOException e) {
            // the proxy went away: normal for live streams
        } finally {
            sockets.remove(socket);
            serving.remove(socket);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
            if (b.length() > 16384) {
                throw new IOException("header line too long");
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    /** A crash of the backend serving {@code path}: its open connections are reset. */
    public void kill(String path) {
        serving.forEach((socket, p) -> {
            if (p.equals(path)) {
                try {
                    socket.setSoLinger(true, 0);
                    socket.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : new ArrayList<>(sockets)) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        workers.shutdownNow();
    }

    /** One request being answered. */
    public static final class Exchange {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final AtomicLong sent;
        public final String method;
        public final String path;
        public final String target;
        public final Map<String, String> headers;

        Exchange(Socket socket, InputStream in, String method, String path, String target,
                 Map<String, String> headers, AtomicLong sent) throws IOException {
            this.socket = socket;
            this.in = in;
            this.out = socket.getOutputStream();
            this.method = method;
            this.path = path;
            this.target = target;
            this.headers = headers;
            this.sent = sent;
        }

        /** The request body (needs a Content-Length; bounded to 1 MiB). */
        public byte[] readBody() throws IOException {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            if (length > 1024 * 1024) {
                throw new IOException("body too large for a test upstream");
            }
            return in.readNBytes(length);
        }

        /** Sends the status line and headers; a negative length means the body ends when the connection closes. */
        public void head(int status, String contentType, long length, String... extra) throws IOException {
            StringBuilder b = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
            if (contentType != null) {
                b.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (length >= 0) {
                b.append("Content-Length: ").append(length).append("\r\n");
            }
            for (int i = 0; i + 1 < extra.length; i += 2) {
                b.append(extra[i]).append(": ").append(extra[i + 1]).append("\r\n");
            }
            b.append("Connection: close\r\n\r\n");
            out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        public void body(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            out.flush();
            sent.addAndGet(len);
        }

        public void respond(int status, String contentType, byte[] body) throws IOException {
            head(status, contentType, body.length);
            if (!"HEAD".equals(method)) {
                body(body, 0, body.length);
            }
        }

        /** A TCP reset: the proxy sees a broken connection, not a clean end. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Holds the connection open, sending nothing, until the proxy closes it. */
        public void stallUntilClosed() throws IOException {
            socket.setSoTimeout(0);
            while (in.read() >= 0) {
                // discard
            }
        }
    }

    // ---- ready-made behaviours ----

    /** Endless MPEG-TS paced at {@code bytesPerSecond}, packets numbered from 0 (see {@link LiveTs}). */
    public static Handler liveTs(int bytesPerSecond) {
        return ex -> {
            ex.head(200, "video/mp2t", -1);
            long startNanos = System.nanoTime();
            long next = 0;
            byte[] chunk = new byte[64 * LiveTs.PACKET];
            while (true) {
                long due = (long) ((System.nanoTime() - startNanos) / 1e9 * bytesPerSecond / LiveTs.PACKET) + 1;
                if (next < due) {
                    int n = (int) Math.min(due - next, 64);
                    for (int i = 0; i < n; i++) {
                        LiveTs.packet(next + i, chunk, i * LiveTs.PACKET);
                    }
                    ex.body(chunk, 0, n * LiveTs.PACKET);
                    next += n;
                } else {
                    sleepQuietly(5);
                }
            }
        };
    }

    /** {@code content} as a live stream: no length, paced at {@code bytesPerSecond} in whole TS packets, then the end. */
    public static Handler paced(byte[] content, int bytesPerSecond) {
        return ex -> {
            ex.head(200, "video/mp2t", -1);
            long startNanos = System.nanoTime();
            int sent = 0;
            while (sent < content.length) {
                long due = (long) ((System.nanoTime() - startNanos) / 1e9 * bytesPerSecond);
                int n = (int) Math.min(content.length - sent, (due - sent) / LiveTs.PACKET * LiveTs.PACKET);
                if (n > 0) {
                    ex.body(content, sent, n);
                    sent += n;
                } else {
                    sleepQuietly(5);
                }
            }
        };
    }

    /**
     * {@code content} from byte {@code from} as a live stream paced at {@code bytesPerSecond} in whole packets;
     * after {@code bytes} bytes a TCP reset (a source dying mid-stream), or the end when the content ends first.
     */
    public static Handler pacedThenReset(byte[] content, int from, int bytesPerSecond, int bytes) {
        return ex -> {
            ex.head(200, "video/mp2t", -1);
            long startNanos = System.nanoTime();
            int end = (int) Math.min(content.length, (long) from + bytes);
            int sent = 0;
            while (from + sent < end) {
                long due = (long) ((System.nanoTime() - startNanos) / 1e9 * bytesPerSecond);
                int n = (int) Math.min(end - from - sent, (due - sent) / LiveTs.PACKET * LiveTs.PACKET);
                if (n > 0) {
                    ex.body(content, from + sent, n);
                    sent += n;
                } else {
                    sleepQuietly(5);
                }
            }
            if (end < content.length) {
                sleepQuietly(100); // let the bytes reach the proxy before the reset discards what is in flight
                ex.reset();
            }
        };
    }

    /** A finite body with a Content-Length, sent as fast as the proxy reads. */
    public static Handler file(byte[] content, String contentType) {
        return ex -> {
            ex.head(200, contentType, content.length);
            for (int off = 0; off < content.length; off += 16384) {
                ex.body(content, off, Math.min(16384, content.length - off));
            }
        };
    }

    /** A file served with HEAD and single-range support (206, Content-Range, 416), as a VOD origin does. */
    public static Handler rangedFile(byte[] content, String contentType) {
        return ex -> {
            String range = ex.headers.get("range");
            long from = 0;
            long to = content.length - 1L;
            boolean partial = false;
            if (range != null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=(\\d*)-(\\d*)").matcher(range);
                if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
                    ex.respond(416, "text/plain", new byte[0]);
                    return;
                }
                if (m.group(1).isEmpty()) {
                    from = Math.max(0, content.length - Long.parseLong(m.group(2)));
                } else {
                    from = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        to = Math.min(to, Long.parseLong(m.group(2)));
                    }
                }
                if (from > to) {
                    ex.head(416, "text/plain", 0, "Content-Range", "bytes */" + content.length);
                    return;
                }
                partial = true;
            }
            long length = to - from + 1;
            if (partial) {
                ex.head(206, contentType, length, "Accept-Ranges", "bytes",
                        "Content-Range", "bytes " + from + "-" + to + "/" + content.length);
            } else {
                ex.head(200, contentType, length, "Accept-Ranges", "bytes");
            }
            if (!"HEAD".equals(ex.method)) {
                for (long off = from; off <= to; off += 16384) {
                    ex.body(content, (int) off, (int) Math.min(16384, to - off + 1));
                }
            }
        };
    }

    /** Like {@link #rangedFile}, but the first request is reset after {@code breakAfter} bytes of the body. */
    public static Handler rangedFileBreakingOnce(byte[] content, String contentType, int breakAfter) {
        AtomicInteger calls = new AtomicInteger();
        Handler whole = rangedFile(content, contentType);
        return ex -> {
            if (calls.getAndIncrement() == 0) {
                ex.head(200, contentType, content.length, "Accept-Ranges", "bytes");
                ex.body(content, 0, breakAfter);
                ex.reset();
            } else {
                whole.serve(ex);
            }
        };
    }

    /** The first request gets {@code first}, every later one {@code rest}. */
    public static Handler firstThen(Handler first, Handler rest) {
        AtomicInteger calls = new AtomicInteger();
        return ex -> (calls.getAndIncrement() == 0 ? first : rest).serve(ex);
    }

    /** Live TS for {@code bytes} bytes (whole packets), then a TCP reset mid-stream. */
    public static Handler liveTsThenReset(int bytesPerSecond, int bytes) {
        return ex -> {
            ex.head(200, "video/mp2t", -1);
            byte[] data = LiveTs.packets(0, bytes / LiveTs.PACKET);
            long start = System.nanoTime();
            int sent = 0;
            while (sent < data.length) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * bytesPerSecond) + LiveTs.PACKET;
                int n = (int) Math.min(data.length - sent, Math.max(0, due - sent));
                if (n > 0) {
                    ex.body(data, sent, n);
                    sent += n;
                } else {
                    sleepQuietly(5);
                }
            }
            ex.reset();
        };
    }

    /** Live TS for {@code packets} whole packets and {@code cut} bytes of the next one, then a TCP reset. */
    public static Handler liveTsThenResetMidPacket(int packets, int cut) {
        return ex -> {
            ex.head(200, "video/mp2t", -1);
            byte[] data = LiveTs.packets(0, packets + 1);
            ex.body(data, 0, packets * LiveTs.PACKET + cut);
            sleepQuietly(200); // let the bytes reach the proxy before the reset discards what is in flight
            ex.reset();
        };
    }

    /** A load balancer: 302 to each of {@code targets} in turn. */
    public static Handler alternatingRedirect(String... targets) {
        AtomicInteger calls = new AtomicInteger();
        return ex -> ex.head(302, "text/plain", 0, "Location", targets[calls.getAndIncrement() % targets.length]);
    }

    public static Handler status(int code) {
        return ex -> ex.respond(code, "text/plain", ("status " + code).getBytes(StandardCharsets.UTF_8));
    }

    /** An error page with status 200, as some providers send instead of video. */
    public static Handler htmlAsVideo() {
        return ex -> ex.respond(200, "text/html; charset=utf-8",
                "<!DOCTYPE html><html><body>Subscription expired</body></html>".getBytes(StandardCharsets.UTF_8));
    }

    /** Same, but labelled as video: only the first bytes give it away. */
    public static Handler htmlLabelledAsVideo() {
        return ex -> ex.respond(200, "video/mp2t",
                "<html><body>Access denied</body></html>".getBytes(StandardCharsets.UTF_8));
    }

    public static Handler redirect(int code, String location) {
        return ex -> {
            ex.head(code, "text/plain", 0, "Location", location);
        };
    }

    /**
     * Reads the request and answers {@code status} with a body of {@code bytes} zeros, written as fast as the
     * peer takes them and never held in memory: a hostile webhook or resolver.
     */
    public static Handler hugeReply(int status, long bytes) {
        return ex -> {
            ex.readBody();
            ex.head(status, "application/json", bytes);
            byte[] chunk = new byte[64 * 1024];
            for (long left = bytes; left > 0; left -= chunk.length) {
                ex.body(chunk, 0, (int) Math.min(chunk.length, left));
            }
        };
    }

    /** Accepts the request and never answers. */
    public static Handler stall() {
        return Exchange::stallUntilClosed;
    }

    /** Resets the connection before any byte of a response. */
    public static Handler resetAtStart() {
        return Exchange::reset;
    }

    /** Sends the head and {@code n} bytes of {@code content} (announcing all of it), then resets. */
    public static Handler resetAfter(byte[] content, int n, String contentType) {
        return ex -> {
            ex.head(200, contentType, content.length);
            ex.body(content, 0, n);
            ex.reset();
        };
    }

    /** Sends the head and {@code n} bytes, then goes silent with the connection open. */
    public static Handler stallAfter(byte[] content, int n, String contentType) {
        return ex -> {
            ex.head(200, contentType, -1);
            ex.body(content, 0, n);
            ex.stallUntilClosed();
        };
    }

    static void sleepQuietly(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
