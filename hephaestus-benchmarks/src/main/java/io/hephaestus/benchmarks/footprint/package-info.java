/**
 * Footprint benchmarks: heap retained by waiting instances and the cost of listing a few of them
 * among many stored instances.
 */
package io.hephaestus.benchmarks.footprint;
