/**
 * The Grafana Pyroscope export: each window pushed as pprof profiles through Pyroscope's
 * {@code push.v1.PusherService/Push} API, with the span labels Pyroscope reads for span
 * profiles.
 */
@NullMarked
package io.ddprof.export.pyroscope;

import org.jspecify.annotations.NullMarked;
