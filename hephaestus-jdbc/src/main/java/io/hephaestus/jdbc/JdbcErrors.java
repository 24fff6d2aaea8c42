package io.hephaestus.jdbc;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import io.hephaestus.core.runtime.StorageException;
import io.hephaestus.core.runtime.StorageUnavailableException;

/**
 * Turns {@link SQLException}s into the storage exceptions of the core: the database could not be
 * reached, the table is missing, or something else failed.
 */
final class JdbcErrors {

    private JdbcErrors() {
    }

    /**
     * Return the exception to throw for a failure of {@code action} on {@code table}.
     * @param action what the storage was doing, such as {@code "updating run 42"}
     * @param table the table name
     * @param dialect the dialect, for the schema hint
     * @param ex the driver's error
     * @return a {@link StorageUnavailableException} if the database could not be reached, else a
     * {@link StorageException}
     */
    static StorageException translate(String action, String table, JdbcDialect dialect, SQLException ex) {
        if (isUnreachable(ex)) {
            return new StorageUnavailableException("JDBC storage could not reach the database while " + action + ": "
                    + ex.getMessage(), ex);
        }
        if (isMissingTable(ex)) {
            return new StorageException("JDBC storage failed while " + action + ": table " + table
                    + " does not exist; create it with JdbcSchema.apply(dataSource) or the script "
                    + dialect.schemaResource() + " (" + ex.getMessage() + ")", ex);
        }
        return new StorageException("JDBC storage failed while " + action + ": " + ex.getMessage(), ex);
    }

    /**
     * Return the exception to throw when no connection could be had to learn about the database.
     * @param action what was being done
     * @param ex the driver's error
     * @return the exception
     */
    static StorageException translate(String action, SQLException ex) {
        if (isUnreachable(ex)) {
            return new StorageUnavailableException("JDBC storage could not reach the database while " + action + ": "
                    + ex.getMessage(), ex);
        }
        return new StorageException("JDBC storage failed while " + action + ": " + ex.getMessage(), ex);
    }

    /**
     * Return whether the error is the unique violation of a key or index (SQLState 23505 on
     * PostgreSQL and H2).
     * @param ex the error
     * @return {@code true} for a unique violation
     */
    static boolean isUniqueViolation(SQLException ex) {
        return "23505".equals(ex.getSQLState());
    }

    private static boolean isUnreachable(SQLException ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception; 57P01-57P03: the server is shutting down or starting up.
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isMissingTable(SQLException ex) {
        String state = ex.getSQLState();
        // PostgreSQL: 42P01 undefined_table. H2: SQLState 42S02, and the error codes 42102 (not
        // found), 42103 (not found, with candidates of another case) and 42104 (not found, the
        // database is empty), whose SQLState H2 2.x reports as the code itself.
        int code = ex.getErrorCode();
        return "42P01".equals(state) || "42S02".equals(state) || "42102".equals(state) || "42103".equals(state)
                || "42104".equals(state) || (code >= 42102 && code <= 42104);
    }
}
