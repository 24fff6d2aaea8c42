package io.hephaestus.jdbc;

import java.util.Locale;
import java.util.Objects;

/**
 * {@link JdbcDialect} is a database that {@link JdbcStorage} supports, with what differs between
 * them: the schema script, the column type of the snapshot and how concurrent starts of one
 * business id are serialized.
 *
 * @since 0.1.0
 */
public enum JdbcDialect {

    /**
     * PostgreSQL, for production: the snapshot is {@code jsonb}, and starts of one business id are
     * serialized by a transaction-scoped advisory lock, so uniqueness holds across every node.
     */
    POSTGRESQL("postgresql", "PostgreSQL"),

    /**
     * H2, embedded: the snapshot is a character large object, and starts of one business id are
     * serialized within the JVM (the unique index still guards each scope in the database).
     */
    H2("h2", "H2");

    private final String platform;

    private final String productName;

    JdbcDialect(String platform, String productName) {
        this.platform = platform;
        this.productName = productName;
    }

    /**
     * Return the platform name, as Spring Boot's database initialization uses it in
     * {@code schema-@@platform@@.sql}.
     * @return {@code postgresql} or {@code h2}
     */
    public String platform() {
        return this.platform;
    }

    /**
     * Return the class path location of this dialect's schema script.
     * @return such as {@code io/hephaestus/jdbc/schema-postgresql.sql}
     */
    public String schemaResource() {
        return "io/hephaestus/jdbc/schema-" + this.platform + ".sql";
    }

    /**
     * Return the dialect of a database product, as JDBC's
     * {@link java.sql.DatabaseMetaData#getDatabaseProductName()} names it.
     * @param productName the product name, such as {@code PostgreSQL}
     * @return the dialect
     * @throws IllegalArgumentException naming the supported databases if there is none
     */
    public static JdbcDialect fromProductName(String productName) {
        Objects.requireNonNull(productName, "productName");
        for (JdbcDialect dialect : values()) {
            if (dialect.productName.equalsIgnoreCase(productName.trim())) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("JDBC storage does not support the database '" + productName
                + "'; it supports PostgreSQL and H2");
    }

    /**
     * Return the dialect with the given platform name, ignoring case.
     * @param platform {@code postgresql} or {@code h2}
     * @return the dialect
     * @throws IllegalArgumentException naming the valid platforms if there is none
     */
    public static JdbcDialect fromPlatform(String platform) {
        Objects.requireNonNull(platform, "platform");
        for (JdbcDialect dialect : values()) {
            if (dialect.platform.equals(platform.trim().toLowerCase(Locale.ROOT))) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("unknown JDBC storage platform '" + platform
                + "'; expected one of postgresql, h2");
    }
}
