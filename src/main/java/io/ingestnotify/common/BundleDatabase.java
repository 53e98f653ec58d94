package io.ingestnotify.common;

import javax.sql.DataSource;

/**
 * The bundle's operational database. A holder rather than the DataSource itself in the registry: Camel autowires a
 * component's DataSource only when the registry holds exactly one, so a bare second one would leave a host's camel-sql
 * without its own, or hand it the bundle's.
 */
public record BundleDatabase(DataSource dataSource) {
}
