package io.hephaestus.jdbc.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link ExecutionCondition} of {@link RequiresPostgresql}: checks once per test run whether the
 * PostgreSQL server answers. In CI ({@code CI=true}) a missing server fails the tests, so that a
 * broken set-up never passes as skipped tests; elsewhere they are skipped, with one message.
 */
public final class PostgresqlCondition implements ExecutionCondition {

    private static final Object LOCK = new Object();

    private static final AtomicBoolean TOLD = new AtomicBoolean();

    private static String problem;

    private static boolean checked;

    /** Made by JUnit, for {@link RequiresPostgresql}. */
    public PostgresqlCondition() {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String unreachable = unreachable();
        if (unreachable == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers at " + TestDatabases.POSTGRESQL_URL);
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new ExtensionConfigurationException("CI=true and PostgreSQL is not reachable at "
                    + TestDatabases.POSTGRESQL_URL + " as " + TestDatabases.POSTGRESQL_USER + " (" + unreachable
                    + "): start it (.ci/run does) or point HEPHAESTUS_TEST_JDBC_URL, HEPHAESTUS_TEST_JDBC_USER and "
                    + "HEPHAESTUS_TEST_JDBC_PASSWORD at one");
        }
        String message = "PostgreSQL tests skipped: no server at " + TestDatabases.POSTGRESQL_URL + " ("
                + unreachable + "); set HEPHAESTUS_TEST_JDBC_URL (and _USER, _PASSWORD) to run them";
        if (TOLD.compareAndSet(false, true)) {
            System.err.println(message);
        }
        return ConditionEvaluationResult.disabled(message);
    }

    private static String unreachable() {
        synchronized (LOCK) {
            if (!checked) {
                checked = true;
                DriverManager.setLoginTimeout(5);
                try (Connection connection = DriverManager.getConnection(TestDatabases.POSTGRESQL_URL,
                        TestDatabases.POSTGRESQL_USER, TestDatabases.POSTGRESQL_PASSWORD)) {
                    problem = connection.isValid(5) ? null : "the connection is not valid";
                }
                catch (SQLException ex) {
                    problem = ex.getMessage();
                }
            }
            return problem;
        }
    }
}
