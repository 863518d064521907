/**
 * Reading recorded windows and deriving the output formats from them:
 * {@link io.ddprof.format.ProfileReader} turns JFR files into
 * {@link io.ddprof.format.Samples} joined to the spans that were in scope,
 * {@link io.ddprof.format.SampleFilter} selects from them, and the writers produce pprof,
 * collapsed stacks, an HTML flame graph and per-endpoint totals.
 */
@NullMarked
package io.ddprof.format;

import org.jspecify.annotations.NullMarked;
