/**
 * The load benchmark: the packaged sample application started once per configuration (no
 * profiler, ddprof, raw async-profiler, the peers' agents), driven by a fixed number of
 * keep-alive connections, measured from outside the process, and reported as a Markdown
 * table.
 */
@NullMarked
package io.ddprof.benchmarks.load;

import org.jspecify.annotations.NullMarked;
