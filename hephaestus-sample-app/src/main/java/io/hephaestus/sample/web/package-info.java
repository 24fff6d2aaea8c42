/**
 * The sample's HTTP plumbing: one error format, RFC 9457 problem details, at every layer from
 * Tomcat to Spring MVC, and the limits every request must meet.
 */
@NullMarked
package io.hephaestus.sample.web;

import org.jspecify.annotations.NullMarked;
