package io.ddprof.export.upload;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import io.ddprof.export.Exporter;
import io.ddprof.export.OwnerOnly;
import io.ddprof.format.ProfileReader;
import io.ddprof.format.Samples;
import io.ddprof.problem.ProblemLog;
import io.ddprof.window.RecordedWindow;
import org.jspecify.annotations.Nullable;

/**
 * An exporter that reads each window's samples (joined to their spans), encodes them for
 * its backend into a {@link SpoolDirectory} and hands the file to its own
 * {@link UploadQueue}, so that the export thread never waits for the network and a slow
 * backend never delays another. A window that cannot be read or written is reported and
 * counted as dropped; nothing is thrown.
 */
public abstract class SpooledExporter implements Exporter {

	private final String name;

	private final UploadDestination destination;

	private final SpoolDirectory spool;

	private final UploadQueue queue;

	private final ProblemLog problems;

	private final boolean supported;

	/**
	 * Creates the exporter and starts its queue's sender thread
	 * ({@code ddprof-upload-<name>}).
	 * @param name the exporter's name, also its queue directory and the start of its
	 * problem keys
	 * @param destination where requests go and how refusals are worded
	 * @param tempDirectory {@code ddprof.temp-directory}
	 * @param spoolDirectory where windows wait, which ddprof owns (the profiler passes
	 * one in its work directory), or {@code null} for a directory of its own under
	 * {@code tempDirectory}
	 * @param queueSize {@code ddprof.upload.queue-size}
	 * @param transport sends the requests
	 * @param retry when to retry and when to give up
	 * @param problems where run-time problems are reported
	 */
	protected SpooledExporter(String name, UploadDestination destination, Path tempDirectory,
			@Nullable Path spoolDirectory, int queueSize, UploadTransport transport, RetryPolicy retry,
			ProblemLog problems) {
		this.name = name;
		this.destination = destination;
		this.problems = problems;
		this.spool = new SpoolDirectory(tempDirectory, name, spoolDirectory);
		this.supported = transport.supports(destination.uri());
		this.queue = new UploadQueue(transport, this::request, destination, queueSize, retry, problems,
				Clock.systemUTC());
	}

	/**
	 * The destination of a backend, with the thread name and problem keys that go with
	 * {@code name}.
	 */
	protected static UploadDestination destination(String name, URI uri, String description, String reason,
			@Nullable String secret, String timeoutKey, UploadDestination.Refusals refusals) {
		return new UploadDestination("ddprof-upload-" + name, name + ".upload", uri, description, reason, secret,
				timeoutKey, refusals);
	}

	@Override
	public final String name() {
		return this.name;
	}

	/** Writes the request body of a window's samples to {@code out}. */
	protected abstract void encode(RecordedWindow profile, Samples samples, OutputStream out) throws IOException;

	/** The suffix of a spooled window's file name, such as {@code .pb.gz}. */
	protected abstract String fileSuffix();

	/** The request that sends a spooled window. */
	protected abstract UploadRequest request(QueuedWindow window);

	@Override
	public final void export(RecordedWindow profile) {
		if (!this.supported) {
			String message = "profiles cannot be sent to " + this.destination.uri()
					+ ": the upload transport cannot reach this kind of URL; use an http:// or https:// URL";
			this.queue.countDropped(DropReason.UNSUPPORTED_URL, message);
			this.problems.report(this.name + ".upload." + DropReason.UNSUPPORTED_URL.value(), message);
			return;
		}
		Path file = null;
		try {
			Samples samples = ProfileReader.readWindows(List.of(profile));
			file = this.spool.newFile(profile.sequence(), fileSuffix());
			try (OutputStream out = Files.newOutputStream(file)) {
				encode(profile, samples, out);
			}
			OwnerOnly.restrict(file);
			this.queue.offer(new QueuedWindow(profile.sequence(), profile.start(), profile.end(),
					profile.snapshot().tag(), file, Files.size(file), System.nanoTime()));
		}
		catch (IOException | RuntimeException ex) {
			SpoolDirectory.deleteQuietly(file);
			String message = "could not queue profile #" + profile.sequence() + " for " + this.destination.uri() + ": "
					+ UploadQueue.describe((ex instanceof IOException io) ? io : new IOException(ex.toString()))
					+ " (check free space and ddprof.temp-directory)";
			this.queue.countDropped(DropReason.SPOOL_ERROR, message);
			this.problems.report(this.name + ".upload." + DropReason.SPOOL_ERROR.value(), message);
		}
	}

	/** What the upload has done so far. */
	public final UploadStatus status() {
		return this.queue.status();
	}

	/**
	 * Sends what waits until {@code deadlineNanos}; what is left then is counted as
	 * dropped.
	 */
	@Override
	public void close(long deadlineNanos) {
		this.queue.close(deadlineNanos);
		try {
			this.spool.deleteIfEmpty();
		}
		catch (IOException ex) {
			this.problems.report(this.name + ".upload.cleanup",
					"could not delete " + this.spool.path() + ": " + UploadQueue.describe(ex));
		}
	}

}
