#!/usr/bin/env bash
# Single-event POSTs from wrk at several concurrencies, each request filed alone (INTAKE_GROUP_WINDOW_MS=0) and by
# group commit (the default window), plus arrays of 50 for reference; on the tests' PostgreSQL (127.0.0.1:5432/test).
# Usage: bench/group-commit.sh [seconds per step] [rounds] [connections]   e.g. bench/group-commit.sh 10 3 1,8,64,256,1024
# Needs wrk (Debian package wrk). BENCH_IDLE_ONLY=1: only the idle CPU of each mode (no load steps).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || true
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
exec java -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.cp)" bench/GroupCommitBenchmark.java "$@"
