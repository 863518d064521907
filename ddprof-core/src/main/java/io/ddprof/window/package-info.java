/**
 * Windows of the continuous recording: {@link io.ddprof.window.WindowRotator} cuts them,
 * each one a {@link io.ddprof.window.RecordedWindow} on disk.
 */
@NullMarked
package io.ddprof.window;

import org.jspecify.annotations.NullMarked;
