package io.ddprof.export.datadog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import io.ddprof.config.Compression;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.EndpointLog;
import io.ddprof.context.EndpointMark;
import io.ddprof.export.Exporter;
import io.ddprof.export.OwnerOnly;
import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.JdkHttpUploadTransport;
import io.ddprof.export.upload.QueuedWindow;
import io.ddprof.export.upload.RetryPolicy;
import io.ddprof.export.upload.SpoolDirectory;
import io.ddprof.export.upload.UploadQueue;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.format.DatadogJfrWriter;
import io.ddprof.format.ProfileReader;
import io.ddprof.format.Samples;
import io.ddprof.problem.ProblemLog;
import io.ddprof.window.RecordedWindow;
import org.jspecify.annotations.Nullable;

/**
 * Uploads each window to Datadog: to the agent's {@code /profiling/v1/input}, or
 * agentless to the site's intake with the API key (docs/datadog-intake.md).
 * {@link #export} compresses the window's JFR into a spool directory of this run
 * ({@code 0700}, under a name nobody can guess) and returns; a background thread sends it
 * through the {@link UploadTransport}, retrying with backoff. Run-time faults are
 * reported to the {@link ProblemLog} and counted in {@link #status()}, never thrown.
 */
public final class DatadogExporter implements Exporter {

	private final UploadQueue queue;

	private final SpoolDirectory spool;

	private final boolean supported;

	private final String unsupportedMessage;

	private final ProblemLog problems;

	private Compression compression;

	private @Nullable EndpointLog endpoints;

	private long endpointsDropped;

	/**
	 * An exporter sending through the JDK's HTTP client, with the settings' timeout.
	 * @param settings the profiler's settings ({@code ddprof.upload.*},
	 * {@code ddprof.agent*}, service tags, {@code ddprof.temp-directory})
	 * @param problems where run-time problems are reported
	 */
	public DatadogExporter(ProfilerSettings settings, ProblemLog problems) {
		this(settings, new JdkHttpUploadTransport(settings.upload().timeout()), problems);
	}

	/**
	 * An exporter sending through {@code transport} (the Spring module passes one on
	 * {@code WebClient}). Starts the {@code ddprof-upload} daemon thread.
	 * @param settings the profiler's settings
	 * @param transport sends the requests
	 * @param problems where run-time problems are reported
	 */
	public DatadogExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems) {
		this(settings, transport, problems, new AgentLocator());
	}

	/**
	 * An exporter sending through {@code transport}, spooling into {@code spoolDirectory}
	 * (which ddprof owns: the profiler passes one in its work directory), that takes each
	 * window's endpoints from {@code endpoints} (the requests that ended before the
	 * window's end) rather than from the recording. Starts the {@code ddprof-upload}
	 * daemon thread.
	 * @param settings the profiler's settings
	 * @param transport sends the requests
	 * @param problems where run-time problems are reported
	 * @param endpoints the requests' endpoints
	 * @param spoolDirectory where windows wait, or {@code null} for a directory of its
	 * own
	 */
	public DatadogExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems,
			EndpointLog endpoints, @Nullable Path spoolDirectory) {
		this(settings, transport, problems, RetryPolicy.forPeriod(settings.upload().period()), RuntimeInfo::current,
				Clock.systemUTC(), new AgentLocator(), spoolDirectory);
		this.endpoints = endpoints;
	}

	/**
	 * An exporter sending through {@code transport} to where {@code locator} finds the
	 * agent when no agent URL is set. Starts the {@code ddprof-upload} daemon thread.
	 * @param settings the profiler's settings
	 * @param transport sends the requests
	 * @param problems where run-time problems are reported
	 * @param locator decides where uploads go
	 */
	public DatadogExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems,
			AgentLocator locator) {
		this(settings, transport, problems, RetryPolicy.forPeriod(settings.upload().period()), RuntimeInfo::current,
				Clock.systemUTC(), locator, null);
	}

	/**
	 * An exporter spooling into {@code spoolDirectory}, which ddprof owns (the profiler
	 * passes one in its work directory); {@code null} for a directory of its own under
	 * {@code ddprof.temp-directory}, created at the first window.
	 * @param settings the profiler's settings
	 * @param transport sends the requests
	 * @param problems where run-time problems are reported
	 * @param spoolDirectory where windows wait, or {@code null}
	 */
	public DatadogExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems,
			@Nullable Path spoolDirectory) {
		this(settings, transport, problems, RetryPolicy.forPeriod(settings.upload().period()), RuntimeInfo::current,
				Clock.systemUTC(), new AgentLocator(), spoolDirectory);
	}

	/** Lets tests shorten backoffs and describe a runtime of their own. */
	DatadogExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems, RetryPolicy retry,
			Supplier<RuntimeInfo> runtime, Clock clock) {
		this(settings, transport, problems, retry, runtime, clock, new AgentLocator(), null);
	}

	private DatadogExporter(ProfilerSettings settings, UploadTransport transport, ProblemLog problems,
			RetryPolicy retry, Supplier<RuntimeInfo> runtime, Clock clock, AgentLocator locator,
			@Nullable Path spoolDirectory) {
		AgentDestination destination = locator.locate(settings.agent(), transport::supports);
		UploadRequestFactory requests = new UploadRequestFactory(settings, destination, runtime);
		this.problems = problems;
		this.compression = settings.upload().compression();
		this.spool = new SpoolDirectory(settings.tempDirectory(), "upload", spoolDirectory);
		this.supported = transport.supports(destination.url());
		// Credentials in the agent URL (http://user:pass@host) never reach status or
		// logs.
		URI shown = masked(requests.endpoint());
		this.unsupportedMessage = destination.isSocket()
				? "profiles cannot be uploaded to the agent's socket " + destination.url() + ": "
						+ transport.getClass().getSimpleName() + " cannot reach this kind of URL here (the JDK's HTTP "
						+ "client has no Unix domain sockets; the WebClient transport of ddprof-spring-boot-starter "
						+ "reaches them on Linux with Reactor Netty and Netty's native epoll transport); use the "
						+ "starter without excluding io.projectreactor.netty:reactor-netty-http and "
						+ "io.netty:netty-transport-native-epoll, or set ddprof.agent.url (DD_TRACE_AGENT_URL) to an "
						+ "http:// address of the agent"
				: "profiles cannot be uploaded to " + shown + ": " + transport.getClass().getSimpleName()
						+ " cannot reach this kind of URL; set ddprof.agent.url (DD_TRACE_AGENT_URL) to an http:// "
						+ "address of the agent";
		this.queue = new UploadQueue(transport, requests::create,
				DatadogDestination.of(shown, destination.reason(),
						settings.agent().agentless() ? settings.agent().apiKey() : null),
				settings.upload().queueSize(), retry, problems, clock);
		if (!this.supported) {
			// Said at start-up, not only a window later: the fix is a dependency or a
			// setting.
			problems.report("upload." + DropReason.UNSUPPORTED_URL.value(), this.unsupportedMessage);
		}
	}

	@Override
	public String name() {
		return "datadog";
	}

	/**
	 * The {@code snapshot} tag a window is uploaded with: {@code on_shutdown} for the
	 * last window of a run, {@code periodic} for every other one. Datadog knows only
	 * those two, so a window cut on demand goes as {@code periodic}.
	 */
	static String snapshotTag(RecordedWindow.Snapshot snapshot) {
		return (snapshot == RecordedWindow.Snapshot.ON_SHUTDOWN) ? snapshot.tag()
				: RecordedWindow.Snapshot.PERIODIC.tag();
	}

	/**
	 * Queues the window for upload: its samples are written as Datadog's events and
	 * compressed into the queue directory, so the caller may delete
	 * {@link RecordedWindow#jfr()} as soon as this returns. Never throws: a window that
	 * cannot be queued is reported and counted as dropped.
	 */
	@Override
	public void export(RecordedWindow profile) {
		if (!this.supported) {
			this.queue.countDropped(DropReason.UNSUPPORTED_URL, this.unsupportedMessage);
			this.problems.report("upload." + DropReason.UNSUPPORTED_URL.value(), this.unsupportedMessage);
			return;
		}
		Path file = null;
		try {
			file = this.spool.newFile(profile.sequence(), ".jfr" + JfrCompressor.extension(this.compression));
			spool(profile, file);
			OwnerOnly.restrict(file);
			this.queue.offer(new QueuedWindow(profile.sequence(), profile.start(), profile.end(),
					snapshotTag(profile.snapshot()), file, Files.size(file), System.nanoTime()));
		}
		catch (IOException | RuntimeException ex) {
			SpoolDirectory.deleteQuietly(file);
			String message = "could not queue profile #" + profile.sequence() + " for upload in " + this.spool.path()
					+ ": " + UploadQueue.describe((ex instanceof IOException io) ? io : new IOException(ex.toString()))
					+ " (check free space and ddprof.temp-directory)";
			this.queue.countDropped(DropReason.SPOOL_ERROR, message);
			this.problems.report("upload." + DropReason.SPOOL_ERROR.value(), message);
		}
	}

	/** What the upload has done so far. */
	public UploadStatus status() {
		return this.queue.status();
	}

	/**
	 * Sends what waits until {@code deadlineNanos} ({@link System#nanoTime()}), the final
	 * {@code on_shutdown} window included; what is left then is counted as dropped and
	 * deleted.
	 */
	@Override
	public void close(long deadlineNanos) {
		this.queue.close(deadlineNanos);
		try {
			this.spool.deleteIfEmpty();
		}
		catch (IOException ex) {
			this.problems.report("upload.cleanup",
					"could not delete " + this.spool.path() + ": " + UploadQueue.describe(ex));
		}
	}

	/**
	 * Writes the window as Datadog reads it ({@link DatadogJfrWriter}: samples with their
	 * span ids, endpoints), compressed, into {@code file}. Data that is compressed
	 * already is sent as it is.
	 */
	private void spool(RecordedWindow profile, Path file) throws IOException {
		if (JfrCompressor.isCompressed(profile.jfr())) {
			compress(profile.jfr(), file);
			return;
		}
		Path converted = file.resolveSibling(file.getFileName() + ".datadog");
		try {
			Samples samples = ProfileReader.readWindows(List.of(profile));
			List<EndpointMark> requests = (this.endpoints != null) ? drainEndpoints(profile) : samples.endpoints();
			try (OutputStream out = new BufferedOutputStream(
					Files.newOutputStream(converted, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
				DatadogJfrWriter.write(samples, requests, out);
			}
			compress(converted, file);
		}
		finally {
			SpoolDirectory.deleteQuietly(converted);
		}
	}

	private List<EndpointMark> drainEndpoints(RecordedWindow profile) {
		List<EndpointMark> drained = this.endpoints.drainBefore(profile.end());
		long dropped = this.endpoints.dropped();
		if (dropped > this.endpointsDropped) {
			this.problems.report("upload.endpoints",
					(dropped - this.endpointsDropped) + " request(s) ended while " + EndpointLog.DEFAULT_CAPACITY
							+ " others waited for their window: their datadog.Endpoint events "
							+ "are left out (shorten ddprof.upload.period to upload fewer requests per window)");
			this.endpointsDropped = dropped;
		}
		return drained;
	}

	private void compress(Path jfr, Path file) throws IOException {
		try {
			JfrCompressor.compress(jfr, file, this.compression);
		}
		catch (LinkageError ex) {
			// zstd-jni or lz4 could not load on this platform: gzip from the JDK always
			// works.
			SpoolDirectory.deleteQuietly(file);
			this.problems.report("upload.compression", this.compression.value() + " compression is not available here ("
					+ ex.getClass().getSimpleName() + "); profiles are gzip-compressed instead");
			this.compression = Compression.GZIP;
			JfrCompressor.compress(jfr, file, this.compression);
		}
	}

	private static URI masked(URI uri) {
		String userInfo = uri.getRawUserInfo();
		return (userInfo != null) ? URI.create(uri.toString().replace(userInfo + "@", "***@")) : uri;
	}

}
