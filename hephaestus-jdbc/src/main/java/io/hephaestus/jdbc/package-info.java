/**
 * Durable {@link io.hephaestus.core.runtime.Storage} on a relational database over plain JDBC:
 * PostgreSQL and H2.
 */
@NullMarked
package io.hephaestus.jdbc;

import org.jspecify.annotations.NullMarked;
