/**
 * Where windows go: the {@link io.ddprof.export.ExportDispatcher} hands each one to the
 * exporters and the in-memory history the downloads read.
 */
@NullMarked
package io.ddprof.export;

import org.jspecify.annotations.NullMarked;
