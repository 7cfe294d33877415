package io.sluice.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A player on a bare socket, for what ordinary clients hide: which loopback address it comes from (all of
 * 127.0.0.0/8 reaches Sluice on 127.0.0.1), a tiny receive buffer so that not reading stalls the server's
 * writes at once, sending a request and never reading, and the body's framing as sent (chunks included).
 */
public final class RawPlayer implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private int status = -1;
    private final Map<String, String> headers = new HashMap<>();

    private RawPlayer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Connects from {@code sourceAddress} and sends {@code GET url}; nothing is read yet. */
    public static RawPlayer get(String url, String sourceAddress, int receiveBuffer) throws IOException {
        URI u = URI.create(url);
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
            }
            s.bind(new InetSocketAddress(sourceAddress, 0));
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
            s.setSoTimeout(15_000);
            String target = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                    + "\r\nUser-Agent: raw-player\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new RawPlayer(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Reads the status line and headers; returns the status. */
    public int readHead() throws IOException {
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Up to {@code max} bytes of a {@code Content-Length} body, or of what arrives before the connection ends. */
    public byte[] readBody(long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        while (out.size() < max) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, max - out.size()));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** {@code n} bytes of a chunked body's content; fewer when the body or the connection ends first. */
    public byte[] readChunked(int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            if (chunkLeft == 0) {
                String size = line();
                if (size.isEmpty()) {
                    size = line(); // the CRLF after the previous chunk's data
                }
                chunkLeft = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (chunkLeft == 0) {
                    break;
                }
            }
            byte[] buf = new byte[Math.min(chunkLeft, n - out.size())];
            int got = in.read(buf);
            if (got < 0) {
                break;
            }
            out.write(buf, 0, got);
            chunkLeft -= got;
        }
        return out.toByteArray();
    }

    private int chunkLeft;

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        if (c < 0 && b.length() == 0) {
            throw new IOException("connection ended");
        }
        return b.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone already
        }
    }
}
