package io.ingestnotify.host;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.flywaydb.core.Flyway;

/** The host application's own beans: its dataSource (the usual name), migrated by its own Flyway, defaults and all. */
public class HostConfiguration implements CamelConfiguration {

    @BindToRegistry("dataSource")
    public DataSource dataSource(@PropertyInject("host.db.url") String url, @PropertyInject("host.db.schema") String schema) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername("postgres");
        ds.setSchema(schema);
        ds.setMaximumPoolSize(3);
        Flyway.configure().dataSource(ds).schemas(schema).defaultSchema(schema).load().migrate();
        return ds;
    }
}
