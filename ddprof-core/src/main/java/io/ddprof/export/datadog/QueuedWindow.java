package io.ddprof.export.datadog;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A window waiting in the upload queue: its compressed JFR on disk and what the
 * {@code event.json} says about it.
 *
 * @param sequence the window's number
 * @param start when its recording started
 * @param end when it stopped
 * @param snapshot Datadog's {@code snapshot} tag ({@code periodic}, {@code on_shutdown})
 * @param file the compressed JFR in the queue directory, owned by the queue
 * @param size the file's size in bytes
 * @param queuedNanos {@link System#nanoTime()} when it joined the queue
 */
record QueuedWindow(long sequence, Instant start, Instant end, String snapshot, Path file, long size,
		long queuedNanos) {
}
