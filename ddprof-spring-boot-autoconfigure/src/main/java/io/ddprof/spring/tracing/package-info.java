/**
 * Ties every sample to the tracing span that was in scope: scope hooks for Micrometer
 * Observations, Brave and the OpenTelemetry bridge, the per-thread scope stack that turns
 * them into span intervals in the recording, and the endpoint of each local root span.
 */
@NullMarked
package io.ddprof.spring.tracing;

import org.jspecify.annotations.NullMarked;
