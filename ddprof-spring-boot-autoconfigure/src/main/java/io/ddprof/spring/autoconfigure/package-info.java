/**
 * Auto-configuration of ddprof for Spring Boot: the {@code ddprof.*} properties, the
 * {@code DD_*} variables as their lowest-priority source, the profiler and its lifecycle,
 * and the failure analysis of settings that cannot be used.
 */
@NullMarked
package io.ddprof.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
