/**
 * Span context in the recording: span intervals and request endpoints written as events
 * beside the samples, so that each sample can be joined to its span.
 */
@NullMarked
package io.ddprof.context;

import org.jspecify.annotations.NullMarked;
