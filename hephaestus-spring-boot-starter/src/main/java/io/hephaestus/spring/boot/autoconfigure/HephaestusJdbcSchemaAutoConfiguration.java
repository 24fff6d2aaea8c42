package io.hephaestus.spring.boot.autoconfigure;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.hephaestus.jdbc.JdbcStorage;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of a
 * {@link HephaestusDataSourceScriptDatabaseInitializer} for the table of the {@link JdbcStorage}
 * bean, the starter's or the application's ({@code hephaestus.jdbc.initialize-schema},
 * {@code embedded} by default). Being a Spring Boot database initializer, it runs after Flyway and
 * Liquibase, and before the Hephaestus runner, which reads the table as soon as it starts.
 *
 * <p>Requires Spring Boot's JDBC module ({@code spring-boot-jdbc}, brought by
 * {@code spring-boot-starter-jdbc}); without it, create the table with {@code JdbcSchema.apply} or
 * a migration.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = HephaestusJdbcAutoConfiguration.class)
@ConditionalOnClass({ JdbcStorage.class, DataSourceScriptDatabaseInitializer.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBean(JdbcStorage.class)
@EnableConfigurationProperties(HephaestusProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class HephaestusJdbcSchemaAutoConfiguration {

    HephaestusJdbcSchemaAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    HephaestusDataSourceScriptDatabaseInitializer hephaestusDataSourceScriptDatabaseInitializer(DataSource dataSource,
            JdbcStorage storage, HephaestusProperties properties) {
        return new HephaestusDataSourceScriptDatabaseInitializer(dataSource, storage,
                properties.getJdbc().getInitializeSchema());
    }
}
