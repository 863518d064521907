package io.ddprof.export.otlp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.Exporter;
import io.ddprof.export.ProblemLog;
import io.ddprof.export.upload.QueuedWindow;
import io.ddprof.export.upload.RetryPolicy;
import io.ddprof.export.upload.SpoolDirectory;
import io.ddprof.export.upload.UploadDestination;
import io.ddprof.export.upload.UploadQueue;
import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.format.ProfileReader;
import io.ddprof.format.Samples;
import io.ddprof.window.Profile;

/**
 * Sends each window to an OpenTelemetry Collector as an OTLP/HTTP
 * {@code ExportProfilesServiceRequest} (protobuf, {@code ddprof.otlp.endpoint}). {@link #export}
 * reads the window's samples joined to their spans, encodes them into its own queue directory and
 * returns; the window then waits in a bounded {@link UploadQueue} of {@code ddprof.upload.queue-size}
 * with the same retries and drop accounting as the Datadog upload. Never throws at the caller.
 */
public final class OtlpExporter implements Exporter {

	/** The exporter's name in status, logs and meters. */
	public static final String NAME = "otlp";

	private final ProfilerSettings.Otlp otlp;

	private final Map<String, String> resource;

	private final SpoolDirectory spool;

	private final UploadQueue queue;

	private final ProblemLog problems;

	private final boolean supported;

	/**
	 * An exporter sending through {@code transport}.
	 * @param settings the profiler's settings ({@code ddprof.otlp.*}, the service's name, environment,
	 * version and tags, {@code ddprof.upload.*}, {@code ddprof.temp-directory})
	 * @param transport sends the requests
	 * @param problems where run-time problems are reported
	 */
	public OtlpExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems) {
		this(settings, transport, problems, RetryPolicy.forPeriod(settings.upload().period()));
	}

	/** Lets tests shorten backoffs. */
	OtlpExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems, RetryPolicy retry) {
		this.otlp = settings.otlp();
		this.problems = problems;
		this.resource = resource(settings);
		this.spool = new SpoolDirectory(settings.tempDirectory(), NAME);
		this.supported = transport.supports(this.otlp.endpoint());
		String where = "the OTLP endpoint " + this.otlp.endpoint();
		this.queue = new UploadQueue(transport, this::request, new UploadDestination("ddprof-upload-" + NAME,
				NAME + ".upload", this.otlp.endpoint(), where, null, new OtlpRefusals(where)),
				settings.upload().queueSize(), retry, problems, Clock.systemUTC());
	}

	/**
	 * The resource of every request: {@code service.name}, {@code deployment.environment.name},
	 * {@code service.version}, then the tags (which do not replace those three) and
	 * {@code process.pid}.
	 */
	static Map<String, String> resource(ProfilerSettings settings) {
		Map<String, String> attributes = new LinkedHashMap<>();
		attributes.put("service.name", settings.service());
		if (settings.env() != null) {
			attributes.put("deployment.environment.name", settings.env());
		}
		if (settings.version() != null) {
			attributes.put("service.version", settings.version());
		}
		settings.tags().forEach(attributes::putIfAbsent);
		attributes.putIfAbsent("process.pid", Long.toString(ProcessHandle.current().pid()));
		attributes.putIfAbsent("process.runtime.name", System.getProperty("java.runtime.name", "java"));
		attributes.putIfAbsent("process.runtime.version", System.getProperty("java.runtime.version", ""));
		return attributes;
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Encodes the window into the queue directory and queues it. A window that cannot be read or
	 * written is reported and counted as dropped.
	 */
	@Override
	public void export(Profile profile) {
		if (!this.supported) {
			String message = "profiles cannot be sent to " + this.otlp.endpoint()
					+ ": the upload transport cannot reach this kind of URL; set ddprof.otlp.endpoint to an http:// URL";
			this.queue.countDropped("unsupported-url", message);
			this.problems.report(NAME + ".upload.unsupported-url", message);
			return;
		}
		Path file = null;
		try {
			Samples samples = ProfileReader.readWindows(List.of(profile));
			byte[] message = OtlpProfilesEncoder.encode(samples, this.resource,
					OtlpExporter.class.getPackage().getImplementationVersion());
			file = this.spool.newFile(profile.sequence(), this.otlp.gzip() ? ".pb.gz" : ".pb");
			try (OutputStream out = this.otlp.gzip() ? new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024)
					: Files.newOutputStream(file)) {
				out.write(message);
			}
			this.queue.offer(new QueuedWindow(profile.sequence(), profile.start(), profile.end(),
					profile.snapshot().tag(), file, Files.size(file), System.nanoTime()));
		}
		catch (IOException | RuntimeException ex) {
			SpoolDirectory.deleteQuietly(file);
			String message = "could not queue profile #" + profile.sequence() + " for " + this.otlp.endpoint() + ": "
					+ UploadQueue.describe((ex instanceof IOException io) ? io : new IOException(ex.toString()))
					+ " (check free space and ddprof.temp-directory)";
			this.queue.countDropped("spool-error", message);
			this.problems.report(NAME + ".upload.spool-error", message);
		}
	}

	/** What the export has done so far. */
	public UploadStatus status() {
		return this.queue.status();
	}

	@Override
	public void close(long deadlineNanos) {
		this.queue.close(deadlineNanos);
		try {
			this.spool.deleteIfEmpty();
		}
		catch (IOException ex) {
			this.problems.report(NAME + ".upload.cleanup",
					"could not delete " + this.spool.path() + ": " + UploadQueue.describe(ex));
		}
	}

	private UploadRequest request(QueuedWindow window) {
		Map<String, String> headers = new LinkedHashMap<>(this.otlp.headers());
		if (this.otlp.gzip()) {
			headers.put("Content-Encoding", "gzip");
		}
		return UploadRequest.single(this.otlp.endpoint(), headers, "application/x-protobuf",
				new UploadRequest.FileBody(window.file(), window.size()));
	}

}
