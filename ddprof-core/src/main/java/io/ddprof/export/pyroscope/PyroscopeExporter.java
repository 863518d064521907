package io.ddprof.export.pyroscope;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * Pushes each window to Grafana Pyroscope ({@code ddprof.pyroscope.url}) through its
 * Connect API {@code push.v1.PusherService/Push}: one series per profile type, labelled
 * {@code service_name}, {@code service_version}, {@code env} and the tags, each a pprof
 * whose samples carry the {@code span_id} and {@code span_name} of their local root span.
 * Basic auth or a bearer token, and the tenant as {@code X-Scope-OrgID}. Its own bounded
 * queue, retries and drop accounting.
 */
public final class PyroscopeExporter extends SpooledExporter {

	/** The exporter's name in status, logs and meters. */
	public static final String NAME = "pyroscope";

	/** The path of the push API under the server's URL. */
	static final String PUSH_PATH = "/push.v1.PusherService/Push";

	private final URI endpoint;

	private final Map<String, String> headers;

	private final Map<String, String> labels;

	/**
	 * An exporter sending through {@code transport}.
	 * @param settings the profiler's settings ({@code ddprof.pyroscope.*}, the service's
	 * name, environment, version and tags, {@code ddprof.upload.*},
	 * {@code ddprof.temp-directory})
	 * @param transport sends the requests
	 * @param problems where run-time problems are reported
	 */
	public PyroscopeExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems) {
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
	public PyroscopeExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems,
			@Nullable Path spoolDirectory) {
		this(settings, pushUri(settings.pyroscope().url()), transport, problems,
				RetryPolicy.forPeriod(settings.upload().period()), spoolDirectory);
	}

	/** Lets tests shorten backoffs. */
	PyroscopeExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems, RetryPolicy retry) {
		this(settings, pushUri(settings.pyroscope().url()), transport, problems, retry, null);
	}

	private PyroscopeExporter(ProfilerSettings settings, URI endpoint, UploadTransport transport, ProblemLog problems,
			RetryPolicy retry, @Nullable Path spoolDirectory) {
		super(NAME,
				destination(NAME, endpoint, "Pyroscope at " + endpoint,
						"ddprof.pyroscope.url (or PYROSCOPE_SERVER_ADDRESS) is set", secret(settings.pyroscope()),
						"ddprof.upload.timeout", new Refusals("Pyroscope at " + endpoint)),
				settings.tempDirectory(), spoolDirectory, settings.upload().queueSize(), transport, retry, problems);
		this.endpoint = endpoint;
		this.headers = headers(settings.pyroscope());
		this.labels = labels(settings);
	}

	static URI pushUri(URI url) {
		String base = url.toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PUSH_PATH);
	}

	/**
	 * The labels of every series: {@code service_name}, {@code service_version} and
	 * {@code env} when set, then the tags with their keys made valid Pyroscope label
	 * names.
	 */
	static Map<String, String> labels(ProfilerSettings settings) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("service_name", settings.service());
		if (settings.version() != null) {
			labels.put("service_version", settings.version());
		}
		if (settings.env() != null) {
			labels.put("env", settings.env());
		}
		settings.tags().forEach((key, value) -> labels.putIfAbsent(labelName(key), value));
		return labels;
	}

	// Pyroscope label names follow Prometheus': letters, digits and '_', not starting
	// with a digit.
	private static String labelName(String key) {
		String name = key.replaceAll("[^A-Za-z0-9_]", "_");
		return Character.isDigit(name.charAt(0)) ? "_" + name : name;
	}

	private static Map<String, String> headers(ProfilerSettings.Pyroscope pyroscope) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Connect-Protocol-Version", "1");
		if (pyroscope.basicAuthUsername() != null) {
			headers.put("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString((pyroscope.basicAuthUsername() + ":" + pyroscope.basicAuthPassword())
							.getBytes(StandardCharsets.UTF_8)));
		}
		else if (pyroscope.authToken() != null) {
			headers.put("Authorization", "Bearer " + pyroscope.authToken());
		}
		if (pyroscope.tenantId() != null) {
			headers.put("X-Scope-OrgID", pyroscope.tenantId());
		}
		return headers;
	}

	private static @Nullable String secret(ProfilerSettings.Pyroscope pyroscope) {
		return (pyroscope.basicAuthPassword() != null) ? pyroscope.basicAuthPassword() : pyroscope.authToken();
	}

	@Override
	protected void encode(RecordedWindow profile, Samples samples, OutputStream out) throws IOException {
		out.write(PushRequestEncoder.encode(samples, this.labels));
	}

	@Override
	protected String fileSuffix() {
		return ".push.pb";
	}

	@Override
	protected UploadRequest request(QueuedWindow window) {
		return UploadRequest.single(this.endpoint, this.headers, "application/proto",
				new UploadRequest.FileBody(window.file(), window.size()));
	}

	/** Pyroscope's refusals, with the settings to check. */
	private record Refusals(String where) implements UploadDestination.Refusals {

		@Override
		public String rejected(int status, String profile, long size) {
			String advice = switch (status) {
				case 401, 403 -> "check ddprof.pyroscope.basic-auth.username and .password (PYROSCOPE_BASIC_AUTH_USER, "
						+ "PYROSCOPE_BASIC_AUTH_PASSWORD), ddprof.pyroscope.auth-token and ddprof.pyroscope.tenant-id";
				case 404 -> "check ddprof.pyroscope.url (PYROSCOPE_SERVER_ADDRESS): the server's push API is "
						+ PUSH_PATH + " under it";
				case 413 -> "the window is " + size + " bytes; shorten ddprof.upload.period";
				default -> "check the server's log for the reason";
			};
			return this.where + " refused " + profile + " with HTTP " + status + "; it is dropped, not retried: "
					+ advice;
		}

	}

}
