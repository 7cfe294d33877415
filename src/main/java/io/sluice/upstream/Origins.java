package io.sluice.upstream;

import java.net.URI;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a stream's own {@code headers} may go (SPEC 3.2, 4): to the hosts the stream was registered with, as
 * curl sends credentials across redirects only to the host it was given, never to hosts a playlist or a
 * redirect names. An origin is scheme, host and port, so a move to another port or to plain HTTP drops them too.
 */
public final class Origins {
    private Origins() {
    }

    /** {@code scheme://host:port} in lower case, the port made explicit; null for a URL without a host. */
    public static String of(URI uri) {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return null;
        }
        return of(uri.getScheme(), uri.getHost(), uri.getPort());
    }

    public static String of(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        int p = port >= 0 ? port : s.equals("https") ? 443 : 80;
        return s + "://" + host.toLowerCase(Locale.ROOT) + ":" + p;
    }

    /** The origins of {@code urls}; malformed ones are left out (they were validated at registration). */
    public static Set<String> ofAll(Collection<String> urls) {
        Set<String> all = new HashSet<>();
        for (String u : urls) {
            try {
                String o = of(URI.create(u));
                if (o != null) {
                    all.add(o);
                }
            } catch (IllegalArgumentException e) {
                // not a URL: no origin to allow
            }
        }
        return Set.copyOf(all);
    }
}
