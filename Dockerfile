# Build: Maven on JDK 17; the runnable jar is the same target/ingest-notify.jar (+ target/lib) the README runs.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY sql sql
COPY src/main src/main
RUN mvn -B -q package -DskipTests

# Run: JRE 17, non-root.
FROM eclipse-temurin:17-jre
# curl for the HEALTHCHECK only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app ingest && mkdir -p /app/data /app/routes && chown -R ingest /app
WORKDIR /app
COPY --from=build /src/target/ingest-notify.jar /app/ingest-notify.jar
COPY --from=build /src/target/lib /app/lib
USER ingest
ENV HTTP_PORT=8080 DATA_DIR=/app/data ROUTES_DIR=/app/routes
EXPOSE 8080
VOLUME ["/app/data", "/app/routes"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/observe/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/ingest-notify.jar"]
