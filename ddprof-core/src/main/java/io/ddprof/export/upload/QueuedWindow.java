package io.ddprof.export.upload;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A window waiting in an upload queue: its encoded profile on disk and what the request
 * says about it.
 *
 * @param sequence the window's number
 * @param start when its recording started
 * @param end when it stopped
 * @param snapshot Datadog's {@code snapshot} tag ({@code periodic}, {@code on_shutdown})
 * @param file the encoded window in the queue directory (a compressed JFR, an OTLP or
 * Pyroscope message), owned by the queue
 * @param size the file's size in bytes
 * @param queuedNanos {@link System#nanoTime()} when it joined the queue
 */
public record QueuedWindow(long sequence, Instant start, Instant end, String snapshot, Path file, long size,
		long queuedNanos) {
}
