#!/usr/bin/env bash
# The hub sources (RabbitMQ, Kafka) side by side with the outbox: events/s and mail p99, medians of BENCH_ROUNDS (3) rounds.
# Needs the tests' PostgreSQL and RabbitMQ on 127.0.0.1:5672 (guest/guest); Kafka is the tests' KRaft broker, started by the run.
# BENCH_SOURCES=outbox,rabbitmq,kafka (default) chooses the sources.
# Usage: bench/hub.sh [events] [users] [instances]   e.g. bench/hub.sh 10000 100 1
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
exec java -Xmx384m ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.cp)" bench/HubBenchmark.java "$@"
