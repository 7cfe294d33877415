package io.sluice.bench.ingest;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The ingest's cost per packet in two versions side by side, in one JVM: each version's classes in a loader of
 * its own, measured in alternating order, so a busy machine slows both alike. Usage: IngestAb SOURCE.ts
 * BASE_CLASSES HEAD_CLASSES [REPS].
 */
public final class IngestAb {
    private IngestAb() {
    }

    public static void main(String[] args) throws Exception {
        byte[] ts = Files.readAllBytes(Path.of(args[0]));
        ClassLoader[] versions = {loader(args[1]), loader(args[2])};
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        for (ClassLoader v : versions) {
            run(v, ts, 10); // warm-up
        }
        List<Double> base = new ArrayList<>();
        List<Double> head = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            double b;
            double h;
            if (r % 2 == 0) {
                b = run(versions[0], ts, 5);
                h = run(versions[1], ts, 5);
            } else {
                h = run(versions[1], ts, 5);
                b = run(versions[0], ts, 5);
            }
            base.add(b);
            head.add(h);
            ratios.add(h / b);
        }
        Collections.sort(base);
        Collections.sort(head);
        Collections.sort(ratios);
        System.out.printf("ingest (splicer + TS health) per packet, medians of %d alternating reps: base %.1f ns,"
                        + " head %.1f ns; head/base per rep: median %.2f, quartiles %.2f-%.2f%n", reps,
                base.get(reps / 2), head.get(reps / 2), ratios.get(reps / 2), ratios.get(reps / 4),
                ratios.get(3 * reps / 4));
    }

    private static double run(ClassLoader version, byte[] ts, int passes) throws Exception {
        return (double) version.loadClass("io.sluice.bench.ingest.IngestPass").getMethod("run", byte[].class, int.class)
                .invoke(null, ts, passes);
    }

    private static ClassLoader loader(String classes) throws Exception {
        return new URLClassLoader(new URL[]{Path.of(classes).toUri().toURL()}, null);
    }
}
