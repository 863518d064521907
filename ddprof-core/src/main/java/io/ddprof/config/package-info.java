/**
 * The settings: {@link io.ddprof.config.ProfilerSettings}, immutable once built, resolved
 * from {@code ddprof.*} values and the Datadog variables, each wrong value named with
 * what is allowed.
 */
@NullMarked
package io.ddprof.config;

import org.jspecify.annotations.NullMarked;
