#!/usr/bin/env bash
# Runs the intake benchmark against the PostgreSQL the tests use (127.0.0.1:5432/test, else an embedded one).
# Usage: bench/run.sh [events] [users] [sections]   e.g. bench/run.sh 20000 100 (all), bench/run.sh 20000 100 outbox
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
exec java -Xmx256m ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.cp)" bench/IntakeBenchmark.java "$@"
