#!/usr/bin/env bash
# Retention benchmarks against the PostgreSQL the tests use (127.0.0.1:5432/test, else an embedded one).
# Usage: bench/retention.sh summary [millions] [minutes]   the ops summary with many rows in file_events, before/after
#        bench/retention.sh soak [minutes] [rate]          a steady load without, then with retention (in seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
exec java -Xmx256m ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.cp)" bench/RetentionBenchmark.java "$@"
