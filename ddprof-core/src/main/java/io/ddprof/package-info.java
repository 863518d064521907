/**
 * The profiler itself: {@link io.ddprof.Profiler}, which starts a session on an engine,
 * cuts its recording into windows and hands them to the exporters, and its
 * {@link io.ddprof.ProfilerStatus}.
 */
@NullMarked
package io.ddprof;

import org.jspecify.annotations.NullMarked;
