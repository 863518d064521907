/**
 * The OTLP profiles export: each window as an {@code ExportProfilesServiceRequest}
 * ({@code opentelemetry.proto.profiles.v1development}) posted over OTLP/HTTP to a
 * Collector, with the span of every sample in the dictionary's link table.
 */
@NullMarked
package io.ddprof.export.otlp;

import org.jspecify.annotations.NullMarked;
