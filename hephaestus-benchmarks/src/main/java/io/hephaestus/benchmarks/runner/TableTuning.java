package io.hephaestus.benchmarks.runner;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

/**
 * {@link TableTuning} is a PostgreSQL tuning of the runner's table under test, applied after the
 * shipped schema created it: {@code --snapshot-compression pglz|lz4} (the snapshot column's
 * compression, PostgreSQL 14 or later) and {@code --fillfactor N} (room left in each page for HOT
 * updates). Neither is part of the shipped schema; the README's "Tuning PostgreSQL" says why.
 *
 * @param compression {@code pglz}, {@code lz4}, or empty for the server's default
 * @param fillfactor 10 to 100, or 0 for the schema's
 */
record TableTuning(String compression, int fillfactor) {

    /** The options this record reads. */
    static final List<String> OPTIONS = List.of("snapshot-compression", "fillfactor");

    TableTuning {
        if (!List.of("", "pglz", "lz4").contains(compression)) {
            throw new IllegalArgumentException("--snapshot-compression must be pglz or lz4, got '" + compression + "'");
        }
        if (fillfactor != 0 && (fillfactor < 10 || fillfactor > 100)) {
            throw new IllegalArgumentException("--fillfactor must be between 10 and 100, got " + fillfactor);
        }
    }

    static TableTuning parse(HarnessArgs values) {
        return new TableTuning(values.string("snapshot-compression", ""), values.intOption("fillfactor", 0));
    }

    /**
     * Apply the tuning to a table created by {@code JdbcSchema}.
     */
    void apply(DataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (!this.compression.isEmpty()) {
                statement.execute("ALTER TABLE " + table + " ALTER COLUMN snapshot SET COMPRESSION " + this.compression);
            }
            if (this.fillfactor != 0) {
                statement.execute("ALTER TABLE " + table + " SET (fillfactor = " + this.fillfactor + ")");
            }
        }
    }

    /**
     * Describe the tuning for a run's header.
     */
    String describe() {
        return "snapshot compression " + (this.compression.isEmpty() ? "server default" : this.compression)
                + ", fillfactor " + ((this.fillfactor == 0) ? "schema's" : Integer.toString(this.fillfactor));
    }
}
