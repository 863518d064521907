/**
 * ddprof in Spring Boot Actuator: the {@code /actuator/profiler} endpoint (status,
 * downloads of recent profiles as JFR, pprof, collapsed stacks or a flame graph, cut,
 * start and stop) and the profiler's own Micrometer meters.
 */
@NullMarked
package io.ddprof.spring.actuate;

import org.jspecify.annotations.NullMarked;
