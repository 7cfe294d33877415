# Shared by the bench scripts: build, then start Sluice as the README does, on a port of the bench's own.
# Source it from the project root. Reports and logs go to $OUT (target/bench unless the script says otherwise).
OUT="${OUT:-target/bench}"
mkdir -p "$OUT"

# ffmpeg_bench NAME CLASS [NAME=VALUE ...]: the FFmpeg benches' run. Needs ffmpeg; builds bench CLASS, starts
# Sluice on $PORT without an API token and with the given settings, and runs CLASS against it (at most 15
# minutes); its table goes to the terminal and to $OUT/NAME-report.txt, Sluice's log to $OUT/sluice-NAME.log.
ffmpeg_bench() {
  local name="$1" class="$2"
  shift 2
  command -v ffmpeg >/dev/null || { echo "needs ffmpeg (Debian package ffmpeg)" >&2; exit 1; }
  build_bench "bench/src/io/sluice/bench/$class.java"
  start_sluice "$PORT" "$OUT/sluice-$name.log" -u API_TOKEN "$@"
  timeout 900 java ${BENCH_JAVA_OPTS:-} -cp "$OUT/classes:target/test-classes" "io.sluice.bench.$class" \
    "http://127.0.0.1:$PORT" | tee "$OUT/$name-report.txt"
}

# build_bench SOURCE.java: packages the WAR, compiles the test helpers and the bench class with the bench
# helpers it uses (from bench/src).
build_bench() {
  mvn -q -B -DskipTests package test-compile
  javac -d "$OUT/classes" -cp "target/test-classes${BENCH_CLASSPATH:+:$BENCH_CLASSPATH}" -sourcepath bench/src "$1"
}

# start_sluice PORT LOG [NAME=VALUE ...]: runs the dev server with those settings, stops it on exit,
# and waits (at most two minutes) until it answers.
start_sluice() {
  local port="$1" log="$2"
  shift 2
  # Every bench viewer comes from loopback: the per-address and total player limits would refuse them.
  env -u PORT "$@" MAX_VIEWERS=0 MAX_VIEWERS_PER_IP=0 mvn -q -B cargo:run -Ddev.port="$port" > "$log" 2>&1 &
  MVN_PID=$!
  trap 'kill "$MVN_PID" 2>/dev/null || true; wait "$MVN_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/health/live"; then return 0; fi
    sleep 1
  done
  echo "Sluice did not start; see $log" >&2
  return 1
}

# stock_tomcat PORT LOG [NAME=VALUE ...]: target/sluice.war as ROOT in a stock Tomcat 10.1 (its zip from the
# Maven repository, default server.xml: only the connector's port changed and the shutdown port disabled), run
# with those settings. Sets CATALINA_HOME and TOMCAT_PID (the caller stops it); waits until /health/live answers.
TOMCAT_VERSION=10.1.55
stock_tomcat() {
  local port="$1" log="$2"
  shift 2
  local zip="$HOME/.m2/repository/org/apache/tomcat/tomcat/$TOMCAT_VERSION/tomcat-$TOMCAT_VERSION.zip"
  [ -f "$zip" ] || mvn -q -B dependency:get -Dartifact=org.apache.tomcat:tomcat:$TOMCAT_VERSION:zip -Dtransitive=false
  CATALINA_HOME="$OUT/apache-tomcat-$TOMCAT_VERSION"
  rm -rf "$CATALINA_HOME"
  (cd "$OUT" && unzip -q "$zip")
  chmod +x "$CATALINA_HOME"/bin/*.sh
  rm -rf "$CATALINA_HOME"/webapps/*
  cp target/sluice.war "$CATALINA_HOME/webapps/ROOT.war"
  sed -i -e "s/port=\"8080\"/port=\"$port\"/" -e 's/port="8005"/port="-1"/' "$CATALINA_HOME/conf/server.xml"
  env -u PORT "$@" CATALINA_HOME="$CATALINA_HOME" CATALINA_BASE="$CATALINA_HOME" \
    CATALINA_OPTS="${TOMCAT_OPTS:--Xmx256m}" "$CATALINA_HOME/bin/catalina.sh" run > "$log" 2>&1 &
  TOMCAT_PID=$!
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$port/health/live" && return 0
    sleep 1
  done
  echo "Tomcat did not start; see $log" >&2
  return 1
}
