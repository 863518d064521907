/**
 * JMH benchmarks of the profiler's hot paths, run with
 * {@code java -jar benchmarks/target/benchmarks.jar} (add {@code -prof gc} for
 * allocation).
 */
@NullMarked
package io.ddprof.benchmarks;

import org.jspecify.annotations.NullMarked;
