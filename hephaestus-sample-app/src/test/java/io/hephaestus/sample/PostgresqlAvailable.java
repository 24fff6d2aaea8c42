package io.hephaestus.sample;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only when the PostgreSQL server of the sample's {@code postgres} profile
 * answers: {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres}, or what
 * {@code SPRING_DATASOURCE_URL}, {@code SPRING_DATASOURCE_USERNAME} and
 * {@code SPRING_DATASOURCE_PASSWORD} say (Spring Boot applies them to the profile too). In CI
 * ({@code CI=true}) a missing server fails the class instead, so that a broken set-up never passes
 * as a skipped test; elsewhere the class is skipped with one message.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresqlAvailable.Condition.class)
@interface PostgresqlAvailable {

    /**
     * The condition: one connection attempt per test run.
     */
    final class Condition implements ExecutionCondition {

        /** The URL of the {@code postgres} profile, unless {@code SPRING_DATASOURCE_URL} is set. */
        static final String URL = env("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/test");

        /** The user of the {@code postgres} profile, unless {@code SPRING_DATASOURCE_USERNAME} is set. */
        static final String USER = env("SPRING_DATASOURCE_USERNAME", "postgres");

        private static String problem;

        private static boolean checked;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String unreachable = unreachable();
            if (unreachable == null) {
                return ConditionEvaluationResult.enabled("PostgreSQL answers at " + URL);
            }
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new ExtensionConfigurationException("CI=true and PostgreSQL is not reachable at " + URL + " as "
                        + USER + " (" + unreachable + "): start it (.ci/run does) or point SPRING_DATASOURCE_URL, "
                        + "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD at one");
            }
            String message = "Sample postgres profile tests skipped: no PostgreSQL at " + URL + " (" + unreachable
                    + "); set SPRING_DATASOURCE_URL (and _USERNAME, _PASSWORD) to run them";
            System.err.println(message);
            return ConditionEvaluationResult.disabled(message);
        }

        private static synchronized String unreachable() {
            if (!checked) {
                checked = true;
                String password = System.getenv("SPRING_DATASOURCE_PASSWORD");
                DriverManager.setLoginTimeout(5);
                try (Connection connection = DriverManager.getConnection(URL, USER,
                        (password != null) ? password : "")) {
                    problem = connection.isValid(5) ? null : "the connection is not valid";
                }
                catch (SQLException ex) {
                    problem = ex.getMessage();
                }
            }
            return problem;
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return (value == null || value.isBlank()) ? fallback : value;
        }
    }
}
