#!/usr/bin/env bash
# The ingest's cost per packet (splicer + TS health) of the working tree's io.sluice.ts against another
# revision's (default main), side by side in one JVM (alternating reps, medians), over the 40 s H.264/AAC
# source of SpliceIT. No server, no network; about a minute. Usage: bench/ingest-ab.sh [REVISION] [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:-main}"
REPS="${2:-60}"
OUT=target/bench/ingest-ab
rm -rf "$OUT" && mkdir -p "$OUT/base-src" "$OUT/base" "$OUT/head" "$OUT/runner"
mvn -q -B -o -DskipTests test-compile 2>/dev/null || mvn -q -B -DskipTests test-compile
# The source file is made by the test helper (Debian's ffmpeg), once.
SOURCE=target/test-media/splice-primary-40s.ts
if [ ! -f "$SOURCE" ]; then
  jshell --class-path target/test-classes:target/classes -q <<<'io.sluice.testing.SpliceSources.primary(); /exit' > /dev/null
fi
for f in $(git ls-tree --name-only "$BASE" src/main/java/io/sluice/ts/); do
  git show "$BASE:$f" > "$OUT/base-src/$(basename "$f")"
done
PASS=bench/src/io/sluice/bench/ingest/IngestPass.java
javac -d "$OUT/base" "$OUT"/base-src/*.java && javac -cp "$OUT/base" -d "$OUT/base" "$PASS"
javac -d "$OUT/head" src/main/java/io/sluice/ts/*.java && javac -cp "$OUT/head" -d "$OUT/head" "$PASS"
javac -d "$OUT/runner" bench/src/io/sluice/bench/ingest/IngestAb.java
echo "base: $BASE ($(git rev-parse --short "$BASE")), head: working tree ($(git rev-parse --short HEAD)$(git diff --quiet -- src/main/java/io/sluice/ts || echo ', modified'))"
timeout 600 java -cp "$OUT/runner" io.sluice.bench.ingest.IngestAb "$SOURCE" "$OUT/base" "$OUT/head" "$REPS"
