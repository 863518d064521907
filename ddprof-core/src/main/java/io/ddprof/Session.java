package io.ddprof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.EndpointLog;
import io.ddprof.context.SpanSink;
import io.ddprof.engine.AsyncProfilerEngine;
import io.ddprof.engine.Engine;
import io.ddprof.engine.EngineException;
import io.ddprof.engine.EngineSelection;
import io.ddprof.engine.RecordingOptions;
import io.ddprof.engine.SamplingPlan;
import io.ddprof.export.ExportDispatcher;
import io.ddprof.export.Exporter;
import io.ddprof.export.LocalDirectoryExporter;
import io.ddprof.export.OwnerOnly;
import io.ddprof.export.ProfileHistory;
import io.ddprof.export.WindowSummarizer;
import io.ddprof.export.datadog.DatadogExporter;
import io.ddprof.export.otlp.OtlpExporter;
import io.ddprof.export.pyroscope.PyroscopeExporter;
import io.ddprof.export.upload.JdkHttpUploadTransport;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.problem.ProblemLog;
import io.ddprof.window.RecordedWindow;
import io.ddprof.window.RotationTimer;
import io.ddprof.window.WindowRotator;
import io.ddprof.window.WindowRotator.WindowStats;
import org.jspecify.annotations.Nullable;

/**
 * One run of the profiler, from {@code start} to {@code stop}: its working directory
 * under the temp directory, its engine, the window rotation and the exporters. A session
 * starts its own recording ({@link #startRecording}), falling back to the JDK Flight
 * Recorder in a new session when async-profiler will not start, and says what it is doing
 * ({@link #status}).
 */
final class Session {

	/**
	 * The first window is cut this soon after recording starts, whatever the period. Its
	 * export pays the profiler's one-time costs (loading and compiling the JFR reader and
	 * writer, the compressor's native library, the upload client's connection pool and
	 * event loop: about 1,000 classes in the sample application) while the application
	 * itself is still starting, rather than a whole period later next to the
	 * application's compiled code, where loading classes can invalidate some of it. It
	 * also shows a deploy in the backend within seconds.
	 */
	static final Duration FIRST_WINDOW = Duration.ofSeconds(5);

	/**
	 * What the profiler hands to every run besides its settings and engine, kept so that
	 * a fallback run is opened the same way.
	 *
	 * @param transport sends Datadog uploads, or {@code null} for the JDK's HTTP client
	 * @param extraExporters the exporters the application added
	 * @param wallThreadFilter whether wall-clock sampling may be limited to threads
	 * holding a span
	 * @param endpoints the requests' endpoints, waiting for their window
	 * @param problems where run-time problems are reported
	 * @param clock the time of windows and status
	 * @param timers a new timer for each run's window rotation
	 */
	record Wiring(@Nullable UploadTransport transport, List<Exporter> extraExporters, BooleanSupplier wallThreadFilter,
			EndpointLog endpoints, ProblemLog problems, Clock clock, Supplier<RotationTimer> timers) {
	}

	private final ProfilerSettings settings;

	private final Wiring wiring;

	private final Path workDirectory;

	private final EngineSelection engine;

	private final ExportDispatcher dispatcher;

	private final ProfileHistory history;

	private final @Nullable LocalDirectoryExporter local;

	private final WindowSummarizer summarizer;

	private final @Nullable DatadogExporter datadog;

	private final Map<String, Supplier<UploadStatus>> pipelines;

	private final @Nullable WindowRotator rotator;

	private final Instant startedAt;

	/** Why this session's engine runs, or why none does. */
	private volatile @Nullable String engineReason;

	/**
	 * Whether {@link #startRecording} reported a problem with the engine (none, or a
	 * fallback).
	 */
	private volatile boolean engineProblemReported;

	/** Whether the engine started: span scopes then go to it. */
	private volatile boolean recording;

	private Session(ProfilerSettings settings, Wiring wiring, Path workDirectory, EngineSelection engine,
			ExportDispatcher dispatcher, ProfileHistory history, @Nullable LocalDirectoryExporter local,
			WindowSummarizer summarizer, @Nullable DatadogExporter datadog,
			Map<String, Supplier<UploadStatus>> pipelines, @Nullable WindowRotator rotator, Instant startedAt) {
		this.settings = settings;
		this.wiring = wiring;
		this.workDirectory = workDirectory;
		this.engine = engine;
		this.dispatcher = dispatcher;
		this.history = history;
		this.local = local;
		this.summarizer = summarizer;
		this.datadog = datadog;
		this.pipelines = pipelines;
		this.rotator = rotator;
		this.startedAt = startedAt;
		this.engineReason = engine.reason();
	}

	/**
	 * Prepares a run: working directory, exporters and rotation, without recording yet.
	 * @throws IOException when the temp directory cannot be written
	 */
	static Session open(ProfilerSettings settings, EngineSelection engine, Wiring wiring) throws IOException {
		Path workDirectory = WorkDirectories.create(settings.tempDirectory(), wiring.problems());
		ExportDispatcher dispatcher = null;
		try {
			// Every directory first: a disk that cannot take them fails the start before
			// any thread exists.
			OwnerOnly.createDirectories(workDirectory.resolve("windows"));
			dispatcher = new ExportDispatcher(wiring.problems());
			return assemble(settings, wiring, workDirectory, dispatcher, engine);
		}
		catch (IOException | RuntimeException ex) {
			// A start that fails half-way leaves no thread and no directory behind.
			if (dispatcher != null) {
				dispatcher.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
			}
			deleteTree(workDirectory);
			throw ex;
		}
	}

	/** The exporters and the rotation, in a work directory that exists. */
	private static Session assemble(ProfilerSettings settings, Wiring wiring, Path workDirectory,
			ExportDispatcher dispatcher, EngineSelection engine) {
		ProblemLog problems = wiring.problems();
		ProfileHistory history = new ProfileHistory(workDirectory.resolve("history"), settings.history().maxWindows(),
				settings.history().maxSize());
		dispatcher.add(history);
		LocalDirectoryExporter local = null;
		if (settings.local().directory() != null) {
			local = new LocalDirectoryExporter(settings.local().directory(), settings.local().maxSize(),
					settings.service());
			dispatcher.add(local);
		}
		SamplingPlan plan = new SamplingPlan(settings, new Random());
		// async-profiler's allocation samples per interval of bytes are not one (see
		// SamplingPlan):
		// each window's count tells the plan what the next interval must be.
		WindowSummarizer summarizer = (engine.engine() instanceof AsyncProfilerEngine)
				? new WindowSummarizer(new AllocationFeedback(plan)) : new WindowSummarizer();
		dispatcher.add(summarizer);
		DatadogExporter datadog = null;
		if (settings.upload().enabled()) {
			wiring.endpoints().clear();
			UploadTransport transport = wiring.transport();
			datadog = new DatadogExporter(settings,
					(transport != null) ? transport : new JdkHttpUploadTransport(settings.upload().timeout()), problems,
					wiring.endpoints(), workDirectory.resolve("upload"));
			dispatcher.add(datadog);
		}
		// Each backend has its own queue and sender thread: a slow one never holds up
		// another. The open
		// pipelines use the JDK client with their own timeout, whatever transport Datadog
		// uses.
		Map<String, Supplier<UploadStatus>> pipelines = new LinkedHashMap<>();
		if (settings.otlp().enabled()) {
			OtlpExporter otlp = new OtlpExporter(settings, new JdkHttpUploadTransport(settings.otlp().timeout()),
					problems, workDirectory.resolve(OtlpExporter.NAME));
			dispatcher.add(otlp);
			pipelines.put(otlp.name(), otlp::status);
		}
		if (settings.pyroscope().enabled()) {
			PyroscopeExporter pyroscope = new PyroscopeExporter(settings,
					new JdkHttpUploadTransport(settings.upload().timeout()), problems,
					workDirectory.resolve(PyroscopeExporter.NAME));
			dispatcher.add(pyroscope);
			pipelines.put(pyroscope.name(), pyroscope::status);
		}
		wiring.extraExporters().forEach(dispatcher::add);
		WindowRotator rotator = (engine.engine() != null)
				? new WindowRotator(engine.engine(), plan, wiring.wallThreadFilter(), workDirectory.resolve("windows"),
						dispatcher::submit, problems, wiring.clock(), wiring.timers().get())
				: null;
		return new Session(settings, wiring, workDirectory, engine, dispatcher, history, local, summarizer, datadog,
				Map.copyOf(pipelines), rotator, wiring.clock().instant());
	}

	/**
	 * Starts recording (after the start delay) with the engine selected. When
	 * async-profiler was loaded but will not start (started already by {@code -agentpath}
	 * or another library, say) and the settings allow a fallback, this session is stopped
	 * and a new one records with the JDK Flight Recorder rather than not at all. Never
	 * throws for an engine that cannot record: the session returned is then degraded, its
	 * status says why, and the problem is reported.
	 * @return the session of this run from now on: this one, or the one that fell back
	 */
	Session startRecording() {
		ProblemLog problems = this.wiring.problems();
		if (this.engine.engine() == null) {
			this.engineProblemReported = true;
			problems.report("engine", "not profiling: " + this.engine.reason());
			return this;
		}
		try {
			start();
			return this;
		}
		catch (EngineException ex) {
			EngineSelection fallback = EngineSelection.fallback(this.settings.engine(), ex.getMessage());
			Session current = this;
			String reason;
			if (fallback.engine() != null && !fallback.engine().name().equals(this.engine.engine().name())) {
				stop(false, System.nanoTime());
				try {
					current = open(this.settings, fallback, this.wiring);
					current.start();
					current.engineProblemReported = true;
					problems.report("engine", fallback.reason());
					return current;
				}
				catch (IOException | EngineException retry) {
					reason = fallback.reason() + ", which failed too: " + retry.getMessage();
				}
			}
			else {
				reason = ex.getMessage();
			}
			current.engineReason = reason;
			current.engineProblemReported = true;
			problems.report("engine", "not profiling: " + reason);
			return current;
		}
	}

	/**
	 * The first window's length: {@link #FIRST_WINDOW}, or the period when that is
	 * shorter.
	 */
	static Duration firstWindow(Duration period) {
		return (period.compareTo(FIRST_WINDOW) < 0) ? period : FIRST_WINDOW;
	}

	/** Starts recording (after the start delay). */
	private void start() throws EngineException {
		if (this.rotator != null) {
			Duration period = this.settings.upload().period();
			this.rotator.start(this.settings.startDelay(), firstWindow(period), period);
			this.recording = true;
		}
	}

	/**
	 * Stops recording, exports the last window when {@code flush}, closes the exporters
	 * and removes the working directory, all before {@code deadlineNanos}.
	 */
	void stop(boolean flush, long deadlineNanos) {
		if (this.rotator != null) {
			CompletableFuture<RecordedWindow> last = this.rotator.stop(flush);
			if (last != null) {
				try {
					last.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
				}
				catch (Exception ex) {
					// Counted by the dispatcher as dropped when it is closed below.
				}
			}
		}
		this.dispatcher.close(deadlineNanos);
		deleteTree(this.workDirectory);
	}

	@Nullable WindowRotator rotator() {
		return this.rotator;
	}

	ProfileHistory history() {
		return this.history;
	}

	/** Why this session's engine runs, or why none does. */
	@Nullable String engineReason() {
		return this.engineReason;
	}

	/**
	 * Whether starting reported a problem with the engine: none could record, or it fell
	 * back.
	 */
	boolean engineProblemReported() {
		return this.engineProblemReported;
	}

	/** Where span scopes go: the engine recording, or nowhere when it did not start. */
	SpanSink spanSink() {
		return this.recording ? this.engine.engine().spanSink() : SpanSink.NONE;
	}

	/** What this run is doing, for {@link Profiler#status()}. */
	ProfilerStatus status() {
		WindowStats stats = (this.rotator != null) ? this.rotator.stats() : WindowStats.NONE;
		Engine recorder = this.engine.engine();
		String detail = (recorder != null) ? recorder.detail() : "";
		List<String> consumers = new ArrayList<>();
		this.dispatcher.consumers().forEach((consumer) -> consumers.add(consumer.name()));
		ProfilerSettings s = this.settings;
		return new ProfilerStatus(state(stats), true, (recorder != null) ? recorder.name() : "none",
				detail.isEmpty() ? this.engineReason : this.engineReason + "; " + detail, events(stats.options()),
				s.service(), s.env(), s.version(), s.tags(), this.startedAt, stats.currentWindowStart(),
				stats.windowsRecorded(), this.dispatcher.dropped() + stats.windowsLost(),
				Duration.ofNanos(stats.lastSeamNanos()), Duration.ofNanos(stats.maxSeamNanos()), stats.replans(),
				Duration.ofNanos(stats.unrecordedNanos()),
				Duration.ofNanos(stats.cpuNanos() + this.dispatcher.cpuNanos()), this.history.usage(),
				(this.local != null) ? this.local.status() : null,
				(this.datadog != null) ? this.datadog.status() : null, pipelines(), this.summarizer.last(),
				this.summarizer.totalSamples(), consumers, this.wiring.problems().recent(), s.ignoredVariables());
	}

	private ProfilerStatus.State state(WindowStats stats) {
		if (this.rotator == null) {
			return ProfilerStatus.State.DEGRADED;
		}
		if (this.rotator.isRecording()) {
			return ProfilerStatus.State.RUNNING;
		}
		return (stats.windowsRecorded() == 0 && stats.currentWindowStart() == null) ? ProfilerStatus.State.STARTING
				: ProfilerStatus.State.DEGRADED;
	}

	/**
	 * The status of each open-pipeline upload (OTLP, Pyroscope) that is on, by exporter
	 * name.
	 */
	private Map<String, UploadStatus> pipelines() {
		Map<String, UploadStatus> statuses = new TreeMap<>();
		this.pipelines.forEach((name, status) -> statuses.put(name, status.get()));
		return statuses;
	}

	/** The events a window records and their intervals, as status shows them. */
	private static Map<String, String> events(@Nullable RecordingOptions options) {
		Map<String, String> events = new LinkedHashMap<>();
		if (options == null) {
			return events;
		}
		if (options.cpuInterval() != null) {
			events.put("cpu", options.cpuInterval().toNanos() / 1000 + "us");
		}
		if (options.wallInterval() != null) {
			events.put("wall", options.wallInterval().toNanos() / 1000 + "us"
					+ (options.wallThreadFilter() ? " (threads holding a span)" : ""));
		}
		if (options.allocInterval() != null) {
			events.put("alloc", options.allocInterval() / 1024 + "KB");
		}
		if (options.live()) {
			events.put("live", "every sampled allocation tracked");
		}
		if (options.lockThreshold() != null) {
			events.put("lock", options.lockThreshold().toNanos() / 1000 + "us");
		}
		return events;
	}

	private static void deleteTree(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// The directory is under the temp directory and holds nothing another run
			// reads.
		}
	}

}
