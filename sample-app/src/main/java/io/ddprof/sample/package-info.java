/**
 * The sample service: one endpoint per kind of work a profile shows (CPU, allocation, a
 * slow leak, lock contention, blocking I/O) and one that calls another endpoint over
 * HTTP.
 */
@NullMarked
package io.ddprof.sample;

import org.jspecify.annotations.NullMarked;
