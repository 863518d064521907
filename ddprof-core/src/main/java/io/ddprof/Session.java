package io.ddprof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import io.ddprof.engine.AsyncProfilerEngine;
import io.ddprof.engine.EngineException;
import io.ddprof.engine.EngineSelection;
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
import io.ddprof.profile.EventType;
import io.ddprof.window.RecordedWindow;
import io.ddprof.window.WindowRotator;

/**
 * One run of the profiler, from {@code start} to {@code stop}: its working directory under the
 * temp directory, its engine, the window rotation and the exporters.
 */
final class Session {

	private final ProfilerSettings settings;

	private final Path workDirectory;

	private final EngineSelection engine;

	private final ExportDispatcher dispatcher;

	private final ProfileHistory history;

	private final LocalDirectoryExporter local;

	private final WindowSummarizer summarizer;

	private final DatadogExporter datadog;

	private final Map<String, Supplier<UploadStatus>> pipelines;

	private final WindowRotator rotator;

	private final Instant startedAt;

	private Session(ProfilerSettings settings, Path workDirectory, EngineSelection engine, ExportDispatcher dispatcher,
			ProfileHistory history, LocalDirectoryExporter local, WindowSummarizer summarizer,
			DatadogExporter datadog, Map<String, Supplier<UploadStatus>> pipelines, WindowRotator rotator,
			Instant startedAt) {
		this.settings = settings;
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
	}

	/**
	 * Prepares a run: working directory, exporters and rotation, without recording yet.
	 * @throws IOException when the temp directory cannot be written
	 */
	static Session open(ProfilerSettings settings, EngineSelection engine, UploadTransport transport,
			List<Exporter> extraExporters, BooleanSupplier wallThreadFilter, EndpointLog endpoints, ProblemLog problems,
			Clock clock) throws IOException {
		Path workDirectory = WorkDirectories.create(settings.tempDirectory(), problems);
		ExportDispatcher dispatcher = null;
		try {
			// Every directory first: a disk that cannot take them fails the start before any thread exists.
			OwnerOnly.createDirectories(workDirectory.resolve("windows"));
			dispatcher = new ExportDispatcher(problems);
			return assemble(settings, workDirectory, dispatcher, engine, transport, extraExporters, wallThreadFilter,
					endpoints, problems, clock);
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
	private static Session assemble(ProfilerSettings settings, Path workDirectory, ExportDispatcher dispatcher,
			EngineSelection engine, UploadTransport transport, List<Exporter> extraExporters,
			BooleanSupplier wallThreadFilter, EndpointLog endpoints, ProblemLog problems, Clock clock) {
		ProfileHistory history = new ProfileHistory(workDirectory.resolve("history"),
				settings.history().maxWindows(), settings.history().maxSize());
		dispatcher.add(history);
		LocalDirectoryExporter local = null;
		if (settings.local().directory() != null) {
			local = new LocalDirectoryExporter(settings.local().directory(), settings.local().maxSize(),
					settings.service());
			dispatcher.add(local);
		}
		SamplingPlan plan = new SamplingPlan(settings, new Random());
		// async-profiler's allocation samples per interval of bytes are not one (see SamplingPlan):
		// each window's count tells the plan what the next interval must be.
		boolean allocFeedback = engine.engine() instanceof AsyncProfilerEngine;
		WindowSummarizer summarizer = new WindowSummarizer((window, summary) -> {
			Long interval = (window.options() != null) ? window.options().allocInterval() : null;
			if (allocFeedback && interval != null) {
				plan.observe(window.sequence(), interval, summary.samples().getOrDefault(EventType.ALLOC, 0L));
			}
		});
		dispatcher.add(summarizer);
		DatadogExporter datadog = null;
		if (settings.upload().enabled()) {
			endpoints.clear();
			datadog = new DatadogExporter(settings,
					(transport != null) ? transport : new JdkHttpUploadTransport(settings.upload().timeout()), problems,
					endpoints, workDirectory.resolve("upload"));
			dispatcher.add(datadog);
		}
		// Each backend has its own queue and sender thread: a slow one never holds up another. The open
		// pipelines use the JDK client with their own timeout, whatever transport Datadog uses.
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
		extraExporters.forEach(dispatcher::add);
		WindowRotator rotator = (engine.engine() != null)
				? new WindowRotator(engine.engine(), plan, wallThreadFilter,
						workDirectory.resolve("windows"), dispatcher::submit, problems, clock)
				: null;
		return new Session(settings, workDirectory, engine, dispatcher, history, local, summarizer, datadog,
				Map.copyOf(pipelines), rotator, clock.instant());
	}

	/** Starts recording (after the start delay). */
	void start() throws EngineException {
		if (this.rotator != null) {
			this.rotator.start(this.settings.startDelay(), this.settings.upload().period());
		}
	}

	/**
	 * Stops recording, exports the last window when {@code flush}, closes the exporters and
	 * removes the working directory, all before {@code deadlineNanos}.
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

	EngineSelection engine() {
		return this.engine;
	}

	WindowRotator rotator() {
		return this.rotator;
	}

	ExportDispatcher dispatcher() {
		return this.dispatcher;
	}

	ProfileHistory history() {
		return this.history;
	}

	LocalDirectoryExporter local() {
		return this.local;
	}

	WindowSummarizer summarizer() {
		return this.summarizer;
	}

	DatadogExporter datadog() {
		return this.datadog;
	}

	/** The status of each open-pipeline upload (OTLP, Pyroscope) that is on, by exporter name. */
	Map<String, UploadStatus> pipelines() {
		Map<String, UploadStatus> statuses = new TreeMap<>();
		this.pipelines.forEach((name, status) -> statuses.put(name, status.get()));
		return statuses;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	Duration cpuTime() {
		long rotation = (this.rotator != null) ? this.rotator.stats().cpuNanos() : 0;
		return Duration.ofNanos(rotation + this.dispatcher.cpuNanos());
	}

	private static void deleteTree(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// The directory is under the temp directory and holds nothing another run reads.
		}
	}

}
