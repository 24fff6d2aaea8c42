package io.hephaestus.spring.boot.autoconfigure;

import java.util.Locale;
import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.hephaestus.core.runtime.Storage;
import io.hephaestus.jdbc.JdbcStorage;
import io.hephaestus.spring.boot.autoconfigure.HephaestusProperties.StorageType;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * durable {@link JdbcStorage} when {@code hephaestus-jdbc} is on the class path, there is a single
 * {@link DataSource} bean (or one marked primary) and {@code hephaestus.storage.type} is
 * {@code auto} (the default) or {@code jdbc}. It runs before {@link HephaestusAutoConfiguration},
 * whose in-memory storage then backs off; a {@link Storage} bean of the application wins over
 * both.
 *
 * <p>{@link HephaestusJdbcSchemaAutoConfiguration} creates the storage's table.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = HephaestusAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ JdbcStorage.class, DataSource.class })
@ConditionalOnSingleCandidate(DataSource.class)
@Conditional(HephaestusJdbcAutoConfiguration.JdbcStorageTypeCondition.class)
@EnableConfigurationProperties(HephaestusProperties.class)
public final class HephaestusJdbcAutoConfiguration {

    static final String STORAGE_TYPE = "hephaestus.storage.type";

    static final String TABLE_NAME = "hephaestus.jdbc.table-name";

    static final String GROUP_COMMIT = "hephaestus.jdbc.group-commit";

    static final String CONCURRENT_GROUPS = "hephaestus.jdbc.concurrent-groups";

    HephaestusJdbcAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(Storage.class)
    JdbcStorage hephaestusStorage(DataSource dataSource, HephaestusProperties properties) {
        String tableName = properties.getJdbc().getTableName();
        JdbcStorage.Builder builder = JdbcStorage.builder(dataSource);
        try {
            builder.tableName(tableName);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidConfigurationPropertyValueException(TABLE_NAME, tableName, ex.getMessage() + ".");
        }
        HephaestusProperties.Jdbc jdbc = properties.getJdbc();
        if (jdbc.getGroupCommit() < 1) {
            throw new InvalidConfigurationPropertyValueException(GROUP_COMMIT, jdbc.getGroupCommit(),
                    "A group holds at least one result (1 turns grouping off).");
        }
        if (jdbc.getConcurrentGroups() < 1) {
            throw new InvalidConfigurationPropertyValueException(CONCURRENT_GROUPS, jdbc.getConcurrentGroups(),
                    "At least one group must be written at a time.");
        }
        builder.groupCommit(jdbc.getGroupCommit()).concurrentGroups(jdbc.getConcurrentGroups());
        try {
            return builder.build();
        }
        catch (IllegalArgumentException ex) {
            // The data source is neither PostgreSQL nor H2.
            throw new InvalidConfigurationPropertyValueException(STORAGE_TYPE,
                    properties.getStorage().getType().name().toLowerCase(Locale.ROOT), ex.getMessage()
                            + ". Set hephaestus.storage.type=memory to keep instances in memory instead.");
        }
    }

    /**
     * Matches unless {@code hephaestus.storage.type} is {@code memory}. A value that cannot be
     * bound fails here, and {@link HephaestusPropertiesFailureAnalyzer} reports it with the valid
     * values.
     */
    static final class JdbcStorageTypeCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            StorageType type = Binder.get(context.getEnvironment())
                .bind(STORAGE_TYPE, StorageType.class)
                .orElse(StorageType.AUTO);
            if (type == StorageType.MEMORY) {
                return ConditionOutcome.noMatch("hephaestus.storage.type is memory");
            }
            return ConditionOutcome.match("hephaestus.storage.type is " + type.name().toLowerCase(Locale.ROOT));
        }
    }
}
