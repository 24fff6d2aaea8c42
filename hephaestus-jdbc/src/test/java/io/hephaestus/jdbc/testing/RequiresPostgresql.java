package io.hephaestus.jdbc.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs the PostgreSQL server of {@link TestDatabases}: it runs when the
 * server is reachable, fails when it is not and {@code CI=true}, and is skipped otherwise.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresqlCondition.class)
public @interface RequiresPostgresql {
}
