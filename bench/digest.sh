#!/usr/bin/env bash
# A digest's size and render time by batch size, against the PostgreSQL the tests use (127.0.0.1:5432/test, else an
# embedded one). Usage: bench/digest.sh [sizes...]   (default: 10 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
exec java -Xmx256m ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.cp)" bench/DigestBenchmark.java "$@"
