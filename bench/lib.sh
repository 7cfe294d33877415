# Shared by the bench scripts: build, then start Sluice as the README does, on a port of the bench's own.
# Source it from the project root.

# build_bench SOURCE.java: packages the WAR, compiles the test helpers and the bench class.
build_bench() {
  mvn -q -B -DskipTests package test-compile
  javac -d "$OUT/classes" -cp target/test-classes "$1"
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
