/**
 * The cluster runner: several nodes share the work of Hephaestus instances on one database, on db-scheduler.
 */
@NullMarked
package io.hephaestus.cluster;

import org.jspecify.annotations.NullMarked;
