package io.ddprof.export.otlp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.QueuedWindow;
import io.ddprof.export.upload.RetryPolicy;
import io.ddprof.export.upload.SpooledExporter;
import io.ddprof.export.upload.UploadDestination;
import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.format.Samples;
import io.ddprof.problem.ProblemLog;
import io.ddprof.window.RecordedWindow;
import org.jspecify.annotations.Nullable;

/**
 * Sends each window to an OpenTelemetry Collector as an OTLP/HTTP
 * {@code ExportProfilesServiceRequest} (protobuf, {@code ddprof.otlp.endpoint}), through
 * its own bounded queue of {@code ddprof.upload.queue-size} with the same retries and
 * drop accounting as the Datadog upload.
 */
public final class OtlpExporter extends SpooledExporter {

	/** The exporter's name in status, logs and meters. */
	public static final String NAME = "otlp";

	/**
	 * What is sent, for the start-up line: the signal is alpha and Collectors differ in
	 * what they take.
	 */
	public static final String PROTOCOL = "OTLP profiles v1development (opentelemetry-proto "
			+ OtlpProfilesEncoder.PROTO_VERSION + ")";

	private final ProfilerSettings.Otlp otlp;

	private final Map<String, String> resource;

	/**
	 * An exporter sending through {@code transport}.
	 * @param settings the profiler's settings ({@code ddprof.otlp.*}, the service's name,
	 * environment, version and tags, {@code ddprof.upload.*},
	 * {@code ddprof.temp-directory})
	 * @param transport sends the requests
	 * @param problems where run-time problems are reported
	 */
	public OtlpExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems) {
		this(settings, transport, problems, (Path) null);
	}

	/**
	 * An exporter sending through {@code transport}, spooling into
	 * {@code spoolDirectory}.
	 * @param settings the profiler's settings
	 * @param transport sends the requests
	 * @param problems where run-time problems are reported
	 * @param spoolDirectory where windows wait, which ddprof owns (the profiler passes
	 * one in its work directory), or {@code null} for a directory of its own under
	 * {@code ddprof.temp-directory}
	 */
	public OtlpExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems,
			@Nullable Path spoolDirectory) {
		this(settings, transport, problems, RetryPolicy.forPeriod(settings.upload().period()), spoolDirectory);
	}

	/** Lets tests shorten backoffs. */
	OtlpExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems, RetryPolicy retry) {
		this(settings, transport, problems, retry, null);
	}

	private OtlpExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems, RetryPolicy retry,
			@Nullable Path spoolDirectory) {
		super(NAME, destination(settings.otlp()), settings.tempDirectory(), spoolDirectory,
				settings.upload().queueSize(), transport, retry, problems);
		this.otlp = settings.otlp();
		this.resource = resource(settings);
	}

	private static UploadDestination destination(ProfilerSettings.Otlp otlp) {
		String where = "the OTLP endpoint " + otlp.endpoint();
		return destination(NAME, otlp.endpoint(), where,
				"ddprof.otlp.endpoint (or OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT) is set",
				null, "ddprof.otlp.timeout", new OtlpRefusals(where));
	}

	/**
	 * The resource of every request: {@code service.name},
	 * {@code deployment.environment.name}, {@code service.version}, then the tags (which
	 * do not replace those three), the process id and the Java runtime.
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
	protected void encode(RecordedWindow profile, Samples samples, OutputStream out) throws IOException {
		byte[] message = OtlpProfilesEncoder.encode(samples, this.resource,
				OtlpExporter.class.getPackage().getImplementationVersion());
		if (this.otlp.gzip()) {
			try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
				gzip.write(message);
			}
		}
		else {
			out.write(message);
		}
	}

	@Override
	protected String fileSuffix() {
		return this.otlp.gzip() ? ".pb.gz" : ".pb";
	}

	@Override
	protected UploadRequest request(QueuedWindow window) {
		Map<String, String> headers = new LinkedHashMap<>(this.otlp.headers());
		if (this.otlp.gzip()) {
			headers.put("Content-Encoding", "gzip");
		}
		return UploadRequest.single(this.otlp.endpoint(), headers, "application/x-protobuf",
				new UploadRequest.FileBody(window.file(), window.size()));
	}

}
