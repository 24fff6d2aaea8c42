package io.hephaestus.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.unit.DataSize;

import io.hephaestus.core.telemetry.MetricScope;

/**
 * Configuration properties for Hephaestus, bound from {@code hephaestus.*}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("hephaestus")
public class HephaestusProperties {

    private final Runner runner = new Runner();

    private final Storage storage = new Storage();

    private final Jdbc jdbc = new Jdbc();

    private final Telemetry telemetry = new Telemetry();

    private final Events events = new Events();

    private final Metrics metrics = new Metrics();

    private final Workflows workflows = new Workflows();

    public Runner getRunner() {
        return this.runner;
    }

    public Storage getStorage() {
        return this.storage;
    }

    public Jdbc getJdbc() {
        return this.jdbc;
    }

    public Telemetry getTelemetry() {
        return this.telemetry;
    }

    public Events getEvents() {
        return this.events;
    }

    public Metrics getMetrics() {
        return this.metrics;
    }

    public Workflows getWorkflows() {
        return this.workflows;
    }

    /**
     * Runner settings.
     */
    public static class Runner {

        /**
         * Which runner executes the workflows: 'local' runs them in this JVM; 'cluster' shares
         * them between every node on the same database (requires hephaestus-cluster and JDBC
         * storage).
         */
        private RunnerType type = RunnerType.LOCAL;

        /**
         * Name of the local runner, used in telemetry, health details and thread names. The
         * cluster runner is named after its node ('hephaestus.runner.cluster.node-name').
         */
        private String name = "hephaestus";

        /**
         * Number of threads that execute steps, at least 1. Blocking steps hold a thread while
         * they run; waiting instances hold none. Defaults to twice the number of processors, at
         * least 4.
         */
        private int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);

        /**
         * Number of writer threads that store step results, 0 or more. With 0 the thread that ran
         * a step stores its result and runs the next step itself. With writer threads a step's
         * thread hands its result over and takes the next step at once, so that results of many
         * instances are stored at the same time: with JDBC storage and hephaestus.jdbc.group-commit
         * they then share commits. Defaults to group-commit times concurrent-groups when
         * hephaestus.jdbc.group-commit is above 1, else 0. Applies to the local runner.
         */
        private @Nullable Integer writerThreads;

        /**
         * Timeout of steps that do not declare their own, positive. A step that exceeds it is
         * interrupted and fails (or is retried). No timeout by default.
         */
        private @Nullable Duration defaultStepTimeout;

        /**
         * How long closing the runner (at application shutdown) lets running steps finish, so that
         * their results are stored, before it interrupts them.
         */
        private Duration shutdownGracePeriod = Duration.ofSeconds(5);

        /**
         * Largest initial context, telemetry metadata or event data the runner accepts, measured
         * as compact JSON; positive. A larger value is rejected when the instance is started or
         * resumed, and nothing is stored.
         */
        private DataSize maxValueSize = DataSize.ofMegabytes(1);

        private final Cluster cluster = new Cluster();

        public RunnerType getType() {
            return this.type;
        }

        public void setType(RunnerType type) {
            this.type = type;
        }

        public Cluster getCluster() {
            return this.cluster;
        }

        public String getName() {
            return this.name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getThreads() {
            return this.threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public @Nullable Integer getWriterThreads() {
            return this.writerThreads;
        }

        public void setWriterThreads(@Nullable Integer writerThreads) {
            this.writerThreads = writerThreads;
        }

        public @Nullable Duration getDefaultStepTimeout() {
            return this.defaultStepTimeout;
        }

        public void setDefaultStepTimeout(@Nullable Duration defaultStepTimeout) {
            this.defaultStepTimeout = defaultStepTimeout;
        }

        public Duration getShutdownGracePeriod() {
            return this.shutdownGracePeriod;
        }

        public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
            this.shutdownGracePeriod = shutdownGracePeriod;
        }

        public DataSize getMaxValueSize() {
            return this.maxValueSize;
        }

        public void setMaxValueSize(DataSize maxValueSize) {
            this.maxValueSize = maxValueSize;
        }
    }

    /**
     * Kinds of runner.
     */
    public enum RunnerType {

        /**
         * Instances run in this JVM, on a local thread pool.
         */
        LOCAL,

        /**
         * Instances run on every node that shares the database, on db-scheduler.
         */
        CLUSTER

    }

    /**
     * Cluster runner settings, used when 'hephaestus.runner.type' is 'cluster'.
     */
    public static class Cluster {

        /**
         * Name of this node, reported by the runner.init event, the health details and in
         * db-scheduler's picked_by column; give every node a different one. Defaults to the host
         * name and process id.
         */
        private @Nullable String nodeName;

        /**
         * Number of steps this node runs at once (the threads of the db-scheduler scheduler the
         * runner creates), at least 1. Give the connection pool a few more connections. Defaults
         * to twice the number of processors, at least 4.
         */
        private int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);

        /**
         * How often the node polls db-scheduler's table for due tasks (timers, retries, work
         * other nodes scheduled), positive. Work this node schedules for now starts at once.
         */
        private Duration pollingInterval = Duration.ofSeconds(1);

        /**
         * How often db-scheduler records that this node still runs its executions, positive.
         */
        private Duration heartbeatInterval = Duration.ofSeconds(5);

        /**
         * How many heartbeats an execution may miss before another node runs it again, at least
         * 4. With the heartbeat interval it makes the dead-execution window (30 seconds by
         * default).
         */
        private int missedHeartbeatsLimit = 6;

        /**
         * db-scheduler's table, when the runner creates its scheduler: 1 to 40 lower-case
         * letters, digits or underscores, not starting with a digit. It is created as
         * 'hephaestus.jdbc.initialize-schema' says.
         */
        private String tableName = "scheduled_tasks";

        public @Nullable String getNodeName() {
            return this.nodeName;
        }

        public void setNodeName(@Nullable String nodeName) {
            this.nodeName = nodeName;
        }

        public int getThreads() {
            return this.threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public Duration getPollingInterval() {
            return this.pollingInterval;
        }

        public void setPollingInterval(Duration pollingInterval) {
            this.pollingInterval = pollingInterval;
        }

        public Duration getHeartbeatInterval() {
            return this.heartbeatInterval;
        }

        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
        }

        public int getMissedHeartbeatsLimit() {
            return this.missedHeartbeatsLimit;
        }

        public void setMissedHeartbeatsLimit(int missedHeartbeatsLimit) {
            this.missedHeartbeatsLimit = missedHeartbeatsLimit;
        }

        public String getTableName() {
            return this.tableName;
        }

        public void setTableName(String tableName) {
            this.tableName = tableName;
        }
    }

    /**
     * Storage settings.
     */
    public static class Storage {

        /**
         * Where instances are kept: 'auto' picks JDBC storage when hephaestus-jdbc is on the class
         * path and there is a DataSource bean, else memory; 'memory' keeps them in this JVM only;
         * 'jdbc' requires hephaestus-jdbc and a DataSource.
         */
        private StorageType type = StorageType.AUTO;

        /**
         * How long completed, failed and cancelled instances are kept before the retention sweep
         * deletes them. Zero or a negative duration turns the sweep off: finished instances are
         * kept until deleted otherwise (the in-memory storage still caps how many it keeps).
         */
        private Duration retention = Duration.ofDays(7);

        /**
         * How often the retention sweep runs, positive.
         */
        private Duration retentionSweepInterval = Duration.ofMinutes(5);

        private final Memory memory = new Memory();

        public StorageType getType() {
            return this.type;
        }

        public void setType(StorageType type) {
            this.type = type;
        }

        public Duration getRetention() {
            return this.retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public Duration getRetentionSweepInterval() {
            return this.retentionSweepInterval;
        }

        public void setRetentionSweepInterval(Duration retentionSweepInterval) {
            this.retentionSweepInterval = retentionSweepInterval;
        }

        public Memory getMemory() {
            return this.memory;
        }
    }

    /**
     * In-memory storage settings.
     */
    public static class Memory {

        /**
         * Most finished instances the in-memory storage keeps, zero or more; when one more
         * finishes, the one that finished first is deleted. Active instances are never deleted.
         */
        private int maxFinishedInstances = 10_000;

        public int getMaxFinishedInstances() {
            return this.maxFinishedInstances;
        }

        public void setMaxFinishedInstances(int maxFinishedInstances) {
            this.maxFinishedInstances = maxFinishedInstances;
        }
    }

    /**
     * Kinds of storage.
     */
    public enum StorageType {

        /**
         * JDBC storage when hephaestus-jdbc is on the class path and there is a single DataSource
         * bean, else memory.
         */
        AUTO,

        /**
         * Instances live in this JVM's memory and are lost on restart.
         */
        MEMORY,

        /**
         * Instances live in a database (PostgreSQL or H2) and survive restarts; requires
         * hephaestus-jdbc and a DataSource bean.
         */
        JDBC

    }

    /**
     * JDBC storage settings, used when the storage is JDBC.
     */
    public static class Jdbc {

        /**
         * When to create the table of the JDBC storage from the scripts in hephaestus-jdbc:
         * 'embedded' for an in-memory embedded database only, 'always', or 'never' (the schema is
         * managed elsewhere, for example by Flyway). The scripts are idempotent.
         */
        private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

        /**
         * Table of the JDBC storage: lower-case letters, digits and underscores, optionally
         * qualified by a schema ('[schema.]table').
         */
        private String tableName = "hephaestus_instance";

        /**
         * Most step results the JDBC storage writes in one transaction, at least 1 (the default: every
         * result in a transaction of its own). Results that arrive while concurrent-groups groups are
         * being written wait and are written together, each still with its own revision check and
         * acknowledged only once committed. 16 to 64 is a sensible value to turn grouping on; it
         * pays only with hephaestus.runner.writer-threads.
         */
        private int groupCommit = 1;

        /**
         * Most groups of step results (see group-commit) the JDBC storage writes at once, at least 1.
         */
        private int concurrentGroups = 2;

        public int getGroupCommit() {
            return this.groupCommit;
        }

        public void setGroupCommit(int groupCommit) {
            this.groupCommit = groupCommit;
        }

        public int getConcurrentGroups() {
            return this.concurrentGroups;
        }

        public void setConcurrentGroups(int concurrentGroups) {
            this.concurrentGroups = concurrentGroups;
        }

        public SchemaInitialization getInitializeSchema() {
            return this.initializeSchema;
        }

        public void setInitializeSchema(SchemaInitialization initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

        public String getTableName() {
            return this.tableName;
        }

        public void setTableName(String tableName) {
            this.tableName = tableName;
        }
    }

    /**
     * When the JDBC storage's schema scripts are applied, as Spring Boot's
     * {@code DatabaseInitializationMode} (kept separate so that these properties bind without
     * Spring Boot's SQL module on the class path).
     */
    public enum SchemaInitialization {

        /**
         * Only for an embedded in-memory database (such as {@code jdbc:h2:mem:}).
         */
        EMBEDDED,

        /**
         * For every database.
         */
        ALWAYS,

        /**
         * Never: the schema is managed outside the application, or by Flyway or Liquibase.
         */
        NEVER

    }

    /**
     * Telemetry settings.
     */
    public static class Telemetry {

        private final Log log = new Log();

        public Log getLog() {
            return this.log;
        }
    }

    /**
     * Log listener settings.
     */
    public static class Log {

        /**
         * Whether to log one line per telemetry event with the built-in log listener.
         */
        private boolean enabled = true;

        /**
         * Events to log, by name such as 'hephaestus.workflow.start' or, without the prefix,
         * 'workflow.start'. Empty means all events.
         */
        private Set<String> events = new LinkedHashSet<>();

        /**
         * Log level per event name, overriding the defaults, for example 'hephaestus.step.stop:
         * debug' or 'step.stop: debug'. OFF is not accepted: leave the event out of 'events'
         * instead.
         */
        private Map<String, LogLevel> levels = new LinkedHashMap<>();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Set<String> getEvents() {
            return this.events;
        }

        public void setEvents(Set<String> events) {
            this.events = events;
        }

        public Map<String, LogLevel> getLevels() {
            return this.levels;
        }

        public void setLevels(Map<String, LogLevel> levels) {
            this.levels = levels;
        }
    }

    /**
     * Spring application event settings.
     */
    public static class Events {

        /**
         * Whether to publish every telemetry event as a Spring application event.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Micrometer metric settings.
     */
    public static class Metrics {

        /**
         * Whether to register the Hephaestus Micrometer metrics.
         */
        private boolean enabled = true;

        /**
         * Which documented metrics to register: all nine, or those of workflow, step or engine
         * events.
         */
        private MetricScope scope = MetricScope.ALL;

        /**
         * Histogram bucket boundaries of the three duration timers, each positive. The standard
         * 'management.metrics.distribution.*' properties override them.
         */
        private List<Duration> slo = new ArrayList<>(List.of(Duration.ofMillis(5), Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofMinutes(5)));

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public MetricScope getScope() {
            return this.scope;
        }

        public void setScope(MetricScope scope) {
            this.scope = scope;
        }

        public List<Duration> getSlo() {
            return this.slo;
        }

        public void setSlo(List<Duration> slo) {
            this.slo = slo;
        }
    }

    /**
     * Workflow registry settings.
     */
    public static class Workflows {

        /**
         * Current version per workflow name, for workflows registered in several versions; each
         * must be a registered version of a registered workflow. Defaults to the highest
         * registered version.
         */
        private Map<String, Integer> current = new LinkedHashMap<>();

        public Map<String, Integer> getCurrent() {
            return this.current;
        }

        public void setCurrent(Map<String, Integer> current) {
            this.current = current;
        }
    }
}
