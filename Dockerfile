# Base images pinned to exact versions (bump them on purpose, never by accident). Where a registry is reachable,
# add the digest too: FROM image:tag@sha256:...
# Build: Maven on JDK 17; the lean artifact (-Dlean: no embedded servers, no demo), target/ingest-notify.jar +
# target/lib, the same LeanArtifactIT checks. DockerImageLibIT runs these two mvn lines on these COPY sources.
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q -Dlean dependency:go-offline
COPY sql sql
COPY src/main src/main
RUN mvn -B -q -Dlean package -Dmaven.test.skip=true

# Run: JRE 17, non-root. The jar, its libraries and the routes folder belong to root and are read-only for the
# runtime user: a compromised process cannot rewrite the routes it runs. Only /app/data is writable.
FROM eclipse-temurin:17.0.16_8-jre-noble
# curl for the HEALTHCHECK only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ingest \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin ingest \
 && mkdir -p /app/data /app/routes \
 && chown root:root /app /app/routes && chmod 0755 /app && chmod 0555 /app/routes \
 && chown ingest:ingest /app/data && chmod 0700 /app/data
WORKDIR /app
COPY --from=build --chown=root:root /src/target/ingest-notify.jar /app/ingest-notify.jar
COPY --from=build --chown=root:root /src/target/lib /app/lib
USER 10001:10001
# Secure by default: a real PostgreSQL (a missing DB_URL stops the container, naming it) and SMTP server, no
# embedded stand-ins; listening on all interfaces, which makes INTAKE_TOKEN and an operator credential required.
# Mount your own routes read-only: -v ./routes:/app/routes:ro
ENV EMBEDDED=false HTTP_HOST=0.0.0.0 HTTP_PORT=8080 DATA_DIR=/app/data ROUTES_DIR=/app/routes
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/observe/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/ingest-notify.jar"]
