package io.hephaestus.benchmarks.runner;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * {@link CountingDataSource} wraps a pool and counts, for everything that runs through it, the SQL
 * statements by kind, the transactions that wrote something and had to be made durable, the round
 * trips to the server, and the time callers spent blocked in each: what a benchmark needs to say
 * where a database-bound engine's time goes ({@code writes per workflow × latency per write}).
 *
 * <p>Connections and statements are JDK proxies, so every JDBC call costs one reflective
 * dispatch (tens of nanoseconds, next to the hundreds of microseconds of a round trip); both engines
 * of the JDBC benchmark go through the same wrapper.
 *
 * <ul>
 * <li><strong>write</strong>: {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}, and a
 * {@code WITH} query that contains one of them (db-scheduler's lock-and-fetch);</li>
 * <li><strong>lock</strong>: a {@code SELECT} of a PostgreSQL advisory lock function;</li>
 * <li><strong>read</strong>: any other statement;</li>
 * <li><strong>durable commits</strong>: a write in auto-commit mode, or an explicit commit (or a
 * switch back to auto-commit) of a transaction that wrote: each one waits for the server's
 * write-ahead log to reach the disk when {@code synchronous_commit} is on;</li>
 * <li><strong>round trips</strong>: statements plus explicit commits and rollbacks.</li>
 * </ul>
 */
final class CountingDataSource implements DataSource {

    private final DataSource target;

    private final LongAdder writes = new LongAdder();

    private final LongAdder writeNanos = new LongAdder();

    private final LongAdder reads = new LongAdder();

    private final LongAdder readNanos = new LongAdder();

    private final LongAdder locks = new LongAdder();

    private final LongAdder lockNanos = new LongAdder();

    private final LongAdder endings = new LongAdder();

    private final LongAdder endingNanos = new LongAdder();

    private final LongAdder durableCommits = new LongAdder();

    private final LongAdder roundTrips = new LongAdder();

    /**
     * Wrap a data source.
     * @param target the pool to count
     */
    CountingDataSource(DataSource target) {
        this.target = target;
    }

    /**
     * Return the counts so far; subtract two of them to get the counts of an interval.
     * @return the counts
     */
    Counts counts() {
        return new Counts(this.writes.sum(), this.writeNanos.sum(), this.reads.sum(), this.readNanos.sum(),
                this.locks.sum(), this.lockNanos.sum(), this.endings.sum(), this.endingNanos.sum(),
                this.durableCommits.sum(), this.roundTrips.sum());
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(this.target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(this.target.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return this.target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        this.target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        this.target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return this.target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return this.target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return this.target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return this.target.isWrapperFor(type);
    }

    private Connection wrap(Connection connection) throws SQLException {
        return (Connection) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(),
                new Class<?>[] { Connection.class }, new ConnectionHandler(connection));
    }

    /**
     * Return the kind of a statement from its text.
     * @param sql the statement
     * @return {@link Kind#WRITE}, {@link Kind#LOCK} or {@link Kind#READ}
     */
    static Kind kindOf(String sql) {
        String text = sql.strip().toUpperCase(Locale.ROOT);
        while (text.startsWith("(")) {
            text = text.substring(1).strip();
        }
        if (text.startsWith("INSERT") || text.startsWith("UPDATE") || text.startsWith("DELETE")
                || text.startsWith("MERGE")) {
            return Kind.WRITE;
        }
        if (text.startsWith("WITH")
                && (text.contains("UPDATE ") || text.contains("DELETE ") || text.contains("INSERT "))) {
            return Kind.WRITE;
        }
        if (text.startsWith("SELECT") && text.contains("PG_ADVISORY")) {
            int end = text.indexOf(';');
            return (end >= 0 && kindOf(text.substring(end + 1)) == Kind.WRITE) ? Kind.LOCKED_WRITE : Kind.LOCK;
        }
        return Kind.READ;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    /**
     * The kind of a statement.
     */
    enum Kind {
        /** A statement that changes rows. */
        WRITE,
        /** A statement that takes an advisory lock. */
        LOCK,
        /** An advisory lock and a write sent as one (one round trip, one implicit transaction). */
        LOCKED_WRITE,
        /** Any other statement. */
        READ
    }

    /**
     * Counts of a {@link CountingDataSource}, cumulative or over an interval.
     * @param writes write statements
     * @param writeNanos time callers spent in write statements
     * @param reads read statements
     * @param readNanos time callers spent in read statements
     * @param locks advisory lock statements
     * @param lockNanos time callers spent in advisory lock statements
     * @param endings explicit commits and rollbacks
     * @param endingNanos time callers spent in explicit commits and rollbacks
     * @param durableCommits transactions that wrote and were committed
     * @param roundTrips executions (a JDBC batch, or several statements sent as one, is one) plus
     * commits and rollbacks
     */
    record Counts(long writes, long writeNanos, long reads, long readNanos, long locks, long lockNanos,
            long endings, long endingNanos, long durableCommits, long roundTrips) {

        /** No counts. */
        static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /**
         * Return these counts minus earlier ones.
         * @param earlier the counts at the start of the interval
         * @return the counts of the interval
         */
        Counts minus(Counts earlier) {
            return new Counts(this.writes - earlier.writes, this.writeNanos - earlier.writeNanos,
                    this.reads - earlier.reads, this.readNanos - earlier.readNanos, this.locks - earlier.locks,
                    this.lockNanos - earlier.lockNanos, this.endings - earlier.endings,
                    this.endingNanos - earlier.endingNanos, this.durableCommits - earlier.durableCommits,
                    this.roundTrips - earlier.roundTrips);
        }

        /**
         * Return the sum of these counts and others, such as those of two nodes.
         * @param other the other counts
         * @return the sum
         */
        Counts plus(Counts other) {
            return new Counts(this.writes + other.writes, this.writeNanos + other.writeNanos,
                    this.reads + other.reads, this.readNanos + other.readNanos, this.locks + other.locks,
                    this.lockNanos + other.lockNanos, this.endings + other.endings,
                    this.endingNanos + other.endingNanos, this.durableCommits + other.durableCommits,
                    this.roundTrips + other.roundTrips);
        }

        /**
         * Return the statements of every kind.
         * @return writes, reads and locks
         */
        long statements() {
            return this.writes + this.reads + this.locks;
        }

        /**
         * Return the time callers spent waiting for the database, summed over threads.
         * @return nanoseconds
         */
        long databaseNanos() {
            return this.writeNanos + this.readNanos + this.lockNanos + this.endingNanos;
        }
    }

    /**
     * Counts the statements of one borrowed connection, and knows whether its open transaction wrote.
     */
    private final class ConnectionHandler implements InvocationHandler {

        private final Connection connection;

        private boolean autoCommit;

        private boolean wrote;

        ConnectionHandler(Connection connection) throws SQLException {
            this.connection = connection;
            this.autoCommit = connection.getAutoCommit();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("prepareStatement") || name.equals("prepareCall")) {
                Statement statement = (Statement) CountingDataSource.invoke(this.connection, method, args);
                return statementProxy(statement, kindOf((String) args[0]));
            }
            if (name.equals("createStatement")) {
                Statement statement = (Statement) CountingDataSource.invoke(this.connection, method, args);
                return statementProxy(statement, null);
            }
            if (name.equals("commit") || name.equals("rollback")) {
                long started = System.nanoTime();
                try {
                    return CountingDataSource.invoke(this.connection, method, args);
                }
                finally {
                    CountingDataSource.this.endingNanos.add(System.nanoTime() - started);
                    CountingDataSource.this.endings.increment();
                    CountingDataSource.this.roundTrips.increment();
                    if (name.equals("commit") && this.wrote) {
                        CountingDataSource.this.durableCommits.increment();
                    }
                    this.wrote = false;
                }
            }
            if (name.equals("setAutoCommit")) {
                boolean on = (Boolean) args[0];
                Object result = CountingDataSource.invoke(this.connection, method, args);
                if (on && !this.autoCommit && this.wrote) {
                    // The driver commits the open transaction when auto-commit is switched back on.
                    CountingDataSource.this.durableCommits.increment();
                    this.wrote = false;
                }
                this.autoCommit = on;
                return result;
            }
            if (name.equals("equals")) {
                return proxy == args[0];
            }
            if (name.equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            return CountingDataSource.invoke(this.connection, method, args);
        }

        private Statement statementProxy(Statement statement, Kind kind) {
            Class<?> type = (statement instanceof PreparedStatement) ? PreparedStatement.class : Statement.class;
            return (Statement) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(),
                    new Class<?>[] { type }, new StatementHandler(this, statement, kind));
        }

        void executed(Kind kind, long nanos, int rows) {
            CountingDataSource.this.roundTrips.increment();
            switch (kind) {
                case LOCKED_WRITE -> {
                    CountingDataSource.this.locks.increment();
                    CountingDataSource.this.writes.increment();
                    CountingDataSource.this.writeNanos.add(nanos);
                    if (this.autoCommit) {
                        CountingDataSource.this.durableCommits.increment();
                    }
                    else {
                        this.wrote = true;
                    }
                }
                case WRITE -> {
                    CountingDataSource.this.writes.add(rows);
                    CountingDataSource.this.writeNanos.add(nanos);
                    if (this.autoCommit) {
                        CountingDataSource.this.durableCommits.increment();
                    }
                    else {
                        this.wrote = true;
                    }
                }
                case LOCK -> {
                    CountingDataSource.this.locks.increment();
                    CountingDataSource.this.lockNanos.add(nanos);
                }
                case READ -> {
                    CountingDataSource.this.reads.increment();
                    CountingDataSource.this.readNanos.add(nanos);
                }
            }
        }
    }

    /**
     * Times and counts the executions of one statement.
     */
    private static final class StatementHandler implements InvocationHandler {

        private final ConnectionHandler connection;

        private final Statement statement;

        private final Kind preparedKind;

        StatementHandler(ConnectionHandler connection, Statement statement, Kind preparedKind) {
            this.connection = connection;
            this.statement = statement;
            this.preparedKind = preparedKind;
        }

        /** Statements added to the batch of a prepared statement since it was last executed. */
        private int batched;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("addBatch")) {
                this.batched++;
            }
            else if (name.equals("clearBatch")) {
                this.batched = 0;
            }
            if (name.startsWith("execute")) {
                int rows = 1;
                if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                    rows = Math.max(1, this.batched);
                    this.batched = 0;
                }
                Kind kind = (this.preparedKind != null) ? this.preparedKind
                        : (args != null && args.length > 0 && args[0] instanceof String sql) ? kindOf(sql) : Kind.READ;
                long started = System.nanoTime();
                try {
                    return CountingDataSource.invoke(this.statement, method, args);
                }
                finally {
                    this.connection.executed(kind, System.nanoTime() - started, rows);
                }
            }
            if (name.equals("equals")) {
                return proxy == args[0];
            }
            if (name.equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            return CountingDataSource.invoke(this.statement, method, args);
        }
    }
}
