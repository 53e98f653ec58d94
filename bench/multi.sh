#!/usr/bin/env bash
# Several instances (separate JVMs) on the tests' PostgreSQL (127.0.0.1:5432/test).
# Usage: bench/multi.sh scale [events] [users]        events/s with 1, 2 and 3 instances (e.g. scale 20000 100)
#        bench/multi.sh soak [minutes] [rate] [n]     steady rate events/s on n instances, sampled every minute
#                                                     (e.g. soak 30 500 3)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
# The instances run from a copy of the classes, so a build during a long run cannot change them under it.
snapshot="target/bench-snapshot-$$"
mkdir -p "$snapshot"
cp -r target/classes "$snapshot/classes"
cp -r target/test-classes "$snapshot/test-classes"
exec java -Xmx256m -cp "$snapshot/classes:$snapshot/test-classes:$(cat target/bench.cp)" bench/MultiInstanceBenchmark.java "$@"
