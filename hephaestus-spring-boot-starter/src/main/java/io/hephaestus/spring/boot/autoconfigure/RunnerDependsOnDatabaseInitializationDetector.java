package io.hephaestus.spring.boot.autoconfigure;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitializationDetector;

import io.hephaestus.core.runtime.Runner;

/**
 * {@link DependsOnDatabaseInitializationDetector} that makes every {@link Runner} bean wait for
 * database initialization (Flyway, Liquibase, the Hephaestus schema initializer, {@code schema.sql}):
 * a runner reads its storage as soon as it is built, to recover the active instances. Registered in
 * {@code META-INF/spring.factories}, and only read when Spring Boot's SQL module is present.
 */
final class RunnerDependsOnDatabaseInitializationDetector
        extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

    RunnerDependsOnDatabaseInitializationDetector() {
    }

    @Override
    protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
        return Set.of(Runner.class);
    }
}
