/**
 * Run-time problems, reported by every layer of the profiler:
 * {@link io.ddprof.problem.ProblemLog} logs each kind of problem at most once per
 * interval and keeps the recent ones for status. Below every other package; it uses none
 * of them.
 */
@NullMarked
package io.ddprof.problem;

import org.jspecify.annotations.NullMarked;
