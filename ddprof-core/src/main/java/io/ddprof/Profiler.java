package io.ddprof;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.config.SettingsResolver;
import io.ddprof.context.EndpointLog;
import io.ddprof.context.SpanSink;
import io.ddprof.engine.DatadogJavaAgent;
import io.ddprof.engine.EngineSelection;
import io.ddprof.export.Exporter;
import io.ddprof.export.ProfileHistory;
import io.ddprof.export.otlp.OtlpExporter;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.problem.ProblemLog;
import io.ddprof.window.RecordedWindow;
import io.ddprof.window.RotationTimer;
import io.ddprof.window.WindowRotator;
import org.jspecify.annotations.Nullable;

/**
 * The continuous profiler: records CPU, wall-clock, allocation, live-heap and lock
 * profiles, cuts them into windows and hands each window to the exporters (Datadog agent,
 * local directory, in-memory history). The API of Datadog's Python profiler, in Java:
 *
 * <pre>{@code
 * Profiler profiler = new Profiler("orders", "prod", "1.4.2", Map.of("team", "backend"));
 * profiler.start();        // = start(true, true)
 * ...
 * profiler.stop();         // = stop(true): the last partial window is exported
 * }</pre>
 *
 * Settings not given come from system properties ({@code ddprof.x.y}), then
 * {@code DDPROF_X_Y}, then the Datadog variables ({@code DD_SERVICE}, ...), then the
 * defaults. A bad setting throws {@link io.ddprof.config.InvalidSettingException} from
 * the constructor; nothing at run time throws: problems degrade the profiler and show in
 * {@link #status()}. {@code start} and {@code stop} are idempotent and thread-safe.
 */
public final class Profiler implements AutoCloseable {

	private static final Logger logger = System.getLogger(Profiler.class.getName());

	/** The longest a {@code stop} waits for the last window to be exported. */
	static final Duration STOP_BUDGET = Duration.ofSeconds(10);

	private static final AtomicReference<Profiler> ACTIVE = new AtomicReference<>();

	private final ProfilerSettings settings;

	private final ClassLoader classLoader;

	private final ProblemLog problems = new ProblemLog();

	private final Clock clock;

	private final Supplier<RotationTimer> timers;

	private final List<Exporter> exporters = new CopyOnWriteArrayList<>();

	private final CurrentEngineSpanSink spanSink = new CurrentEngineSpanSink();

	private final Object lock = new Object();

	private volatile @Nullable Session session;

	/**
	 * Why no session runs (not started, stopped, or one could not open); a session says
	 * its own reason.
	 */
	private volatile String engineReason = "not started";

	private volatile boolean tracerAttached;

	private volatile boolean virtualThreads;

	private volatile boolean profileChildren;

	private volatile @Nullable UploadTransport uploadTransport;

	private @Nullable Thread shutdownHook;

	/**
	 * A profiler whose every setting comes from system properties and environment
	 * variables.
	 */
	public Profiler() {
		this((String) null, null, null, null);
	}

	/**
	 * A profiler for the given service, environment, version and tags; {@code null} means
	 * "from settings" (system properties, {@code DDPROF_*}, {@code DD_*}).
	 * @throws io.ddprof.config.InvalidSettingException when a setting is not allowed
	 */
	public Profiler(@Nullable String service, @Nullable String env, @Nullable String version,
			@Nullable Map<String, String> tags) {
		this(SettingsResolver.fromSystem().resolve().service(service).env(env).version(version).tags(tags).build());
	}

	/**
	 * A profiler with the given settings (build them with
	 * {@link ProfilerSettings#builder()}).
	 */
	public Profiler(ProfilerSettings settings) {
		this(settings, Profiler.class.getClassLoader());
	}

	/**
	 * A profiler with the given settings, looking for async-profiler's classes in
	 * {@code classLoader}; where they are missing it records with the JDK Flight
	 * Recorder.
	 */
	public Profiler(ProfilerSettings settings, ClassLoader classLoader) {
		this(settings, classLoader, Clock.systemUTC(), RotationTimer::ownThread);
	}

	/**
	 * A profiler whose windows are timed by {@code clock} and cut by a timer from
	 * {@code timers}: for tests.
	 */
	Profiler(ProfilerSettings settings, Clock clock, Supplier<RotationTimer> timers) {
		this(settings, Profiler.class.getClassLoader(), clock, timers);
	}

	private Profiler(ProfilerSettings settings, ClassLoader classLoader, Clock clock, Supplier<RotationTimer> timers) {
		this.settings = settings;
		this.classLoader = classLoader;
		this.clock = clock;
		this.timers = timers;
	}

	/** The settings in force. */
	public ProfilerSettings settings() {
		return this.settings;
	}

	/** Adds an exporter that receives every window from the next start on. */
	public void addExporter(Exporter exporter) {
		this.exporters.add(exporter);
	}

	/**
	 * Sends uploads through {@code transport} (in Spring, the application's
	 * {@code WebClient}) instead of the JDK's {@code HttpClient}; takes effect from the
	 * next start.
	 */
	public void useUploadTransport(UploadTransport transport) {
		this.uploadTransport = transport;
	}

	/**
	 * Tells the profiler that a tracer reports span scopes through {@link #spanSink()},
	 * so that wall-clock sampling can be limited to threads holding a span
	 * ({@code ddprof.wall.context-filter}); takes effect from the next window.
	 */
	public void attachTracer() {
		this.tracerAttached = true;
	}

	/**
	 * Tells the profiler that the application serves its work on virtual threads (in
	 * Spring, {@code spring.threads.virtual.enabled=true} on Java 21 or later); takes
	 * effect from the next start. With {@code ddprof.engine=auto} the JDK Flight Recorder
	 * then records instead of async-profiler, which samples a virtual thread as the
	 * carrier thread it is mounted on, so that its samples could not be tied to the
	 * request's span.
	 */
	public void servedOnVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	/**
	 * Where a tracing bridge records span scopes and endpoints. Safe to call at any time
	 * and from any thread; does nothing while the profiler is not recording.
	 */
	public SpanSink spanSink() {
		return this.spanSink;
	}

	/**
	 * Starts profiling, stopping with flush when the JVM exits, with child JVMs profiled
	 * too.
	 */
	public void start() {
		start(true, true);
	}

	/**
	 * Starts profiling. Does nothing when already started or when
	 * {@code ddprof.enabled=false}.
	 * @param stopOnExit whether a JVM shutdown hook stops the profiler with flush
	 * @param profileChildren whether {@link #prepare(ProcessBuilder)} makes child JVMs
	 * profile themselves
	 */
	public void start(boolean stopOnExit, boolean profileChildren) {
		synchronized (this.lock) {
			if (this.session != null || !this.settings.enabled()) {
				return;
			}
			this.profileChildren = profileChildren;
			EngineSelection selection;
			String datadogProfiler = DatadogJavaAgent.profilerRunning();
			if (datadogProfiler != null) {
				selection = new EngineSelection(null, datadogProfiler);
			}
			else if (!ACTIVE.compareAndSet(null, this)) {
				selection = new EngineSelection(null,
						"another ddprof Profiler is already running in this JVM; stop it first");
			}
			else {
				selection = EngineSelection.choose(this.settings.engine(), this.classLoader, this.virtualThreads);
			}
			Session opened;
			try {
				opened = Session.open(this.settings, selection,
						new Session.Wiring(this.uploadTransport, List.copyOf(this.exporters), () -> this.tracerAttached,
								this.spanSink.endpoints, this.problems, this.clock, this.timers));
			}
			catch (IOException | RuntimeException ex) {
				release();
				this.engineReason = "could not prepare a working directory: " + ex.getMessage();
				this.problems.report("start", this.engineReason);
				return;
			}
			// Held before it starts, so that stop() ends it even if starting throws.
			this.session = opened;
			this.session = opened.startRecording();
			this.spanSink.target = this.session.spanSink();
			if (stopOnExit) {
				this.shutdownHook = new Thread(() -> stop(true), "ddprof-shutdown");
				Runtime.getRuntime().addShutdownHook(this.shutdownHook);
			}
			logStart(this.session);
		}
	}

	/** Stops profiling and exports the last partial window. */
	public void stop() {
		stop(true);
	}

	/**
	 * Stops profiling, returning within a bounded time (at most
	 * {@code ddprof.upload.timeout}, and never more than ten seconds) even when an
	 * exporter hangs. Does nothing when stopped.
	 * @param flush whether the last partial window is exported ({@code true}) or dropped
	 */
	public void stop(boolean flush) {
		synchronized (this.lock) {
			Session current = this.session;
			if (current == null) {
				return;
			}
			this.spanSink.target = SpanSink.NONE;
			Duration budget = (this.settings.upload().timeout().compareTo(STOP_BUDGET) < 0)
					? this.settings.upload().timeout() : STOP_BUDGET;
			try {
				current.stop(flush, System.nanoTime() + budget.toNanos());
			}
			catch (RuntimeException ex) {
				this.problems.report("stop", "stopping failed: " + ex);
			}
			finally {
				this.session = null;
				this.engineReason = "stopped";
				release();
				removeShutdownHook();
			}
		}
	}

	/** Same as {@link #stop()}. */
	@Override
	public void close() {
		stop(true);
	}

	/**
	 * Whether the profiler is started (recording, waiting for its start delay, or
	 * degraded).
	 */
	public boolean isRunning() {
		return this.session != null;
	}

	/**
	 * Cuts the current window now; it is exported like any other.
	 * @return a future completed once every exporter has seen the window, or a completed
	 * {@code null} when nothing is recording
	 */
	public CompletableFuture<RecordedWindow> cutWindow() {
		Session current = this.session;
		WindowRotator rotator = (current != null) ? current.rotator() : null;
		CompletableFuture<RecordedWindow> cut = (rotator != null) ? rotator.cutNow() : null;
		return (cut != null) ? cut : CompletableFuture.completedFuture(null);
	}

	/**
	 * Copies what the current window recorded so far into {@code copy} without cutting
	 * it: the window keeps its boundaries and nothing is exported (for a download, say).
	 * @return the copy, as a profile of the current window up to now; {@code null} when
	 * nothing is recording or nothing complete was recorded yet
	 * @throws IOException when the copy cannot be written
	 */
	public @Nullable RecordedWindow copyCurrentWindow(Path copy) throws IOException {
		Session current = this.session;
		WindowRotator rotator = (current != null) ? current.rotator() : null;
		return (rotator != null) ? rotator.copyCurrent(copy) : null;
	}

	/** The recent windows, or {@code null} when the profiler is not started. */
	public @Nullable ProfileHistory history() {
		Session current = this.session;
		return (current != null) ? current.history() : null;
	}

	/**
	 * Prepares a child JVM to be profiled with this profiler's service, env, version and
	 * tags (and its own process id): one line before {@code processBuilder.start()}. Does
	 * nothing unless the profiler was started with {@code profileChildren}.
	 * @return the same builder
	 */
	public ProcessBuilder prepare(ProcessBuilder processBuilder) {
		if (this.profileChildren && isRunning()) {
			ChildLaunch.prepare(processBuilder, this.settings, this.problems);
		}
		return processBuilder;
	}

	/** A snapshot of what the profiler is doing. */
	public ProfilerStatus status() {
		Session current = this.session;
		if (current != null) {
			return current.status();
		}
		List<String> exporters = new ArrayList<>();
		this.exporters.forEach((exporter) -> exporters.add(exporter.name()));
		return ProfilerStatus.notRunning(this.settings, this.engineReason, exporters, this.problems.recent());
	}

	/** The problem log, where components of this profiler report run-time faults. */
	public ProblemLog problems() {
		return this.problems;
	}

	private void logStart(Session started) {
		ProfilerStatus status = started.status();
		if (status.engine().equals("none")) {
			return;
		}
		// Recording with JFR when async-profiler was wanted is a degraded start, and the
		// line that
		// says so must stand out; when the fallback was already reported as a problem,
		// once is enough.
		// On virtual threads JFR is the choice, not a degradation.
		boolean degraded = this.settings.engine() == EngineChoice.AUTO && status.engine().equals("jfr")
				&& !this.virtualThreads;
		logger.log((degraded && !started.engineProblemReported()) ? Level.WARNING : Level.INFO,
				"ddprof: profiling service '" + this.settings.service() + "' with " + status.engine() + " ("
						+ started.engineReason() + "), events " + status.events() + ", windows of "
						+ this.settings.upload().period().toSeconds() + "s to " + status.exporters() + pipelines());
	}

	// The profiles signal is alpha: the line says which version goes where.
	private String pipelines() {
		StringBuilder text = new StringBuilder();
		if (this.settings.otlp().enabled()) {
			text.append("; ").append(OtlpExporter.PROTOCOL).append(" to ").append(this.settings.otlp().endpoint());
		}
		if (this.settings.pyroscope().enabled()) {
			text.append("; Pyroscope push to ").append(this.settings.pyroscope().url());
		}
		return text.toString();
	}

	private void release() {
		ACTIVE.compareAndSet(this, null);
	}

	private void removeShutdownHook() {
		Thread hook = this.shutdownHook;
		this.shutdownHook = null;
		if (hook != null && hook != Thread.currentThread()) {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// The JVM is shutting down: the hook is running or about to.
			}
		}
	}

	/**
	 * The span sink the tracing bridge holds for the profiler's whole life: forwards span
	 * scopes to the engine of the session recording now (async-profiler or the JDK Flight
	 * Recorder, which may change from one start to the next or fall back within one), or
	 * nowhere while none is.
	 */
	private static final class CurrentEngineSpanSink implements SpanSink {

		private volatile SpanSink target = SpanSink.NONE;

		private final EndpointLog endpoints = new EndpointLog(EndpointLog.DEFAULT_CAPACITY);

		@Override
		public long begin() {
			return this.target.begin();
		}

		@Override
		public void end(long startTicks, String tag) {
			this.target.end(startTicks, tag);
		}

		@Override
		public void mark(String tag) {
			this.target.mark(tag);
		}

		@Override
		public void endpoint(long localRootSpanId, String operation, String endpoint) {
			SpanSink recording = this.target;
			if (recording != SpanSink.NONE) {
				recording.endpoint(localRootSpanId, operation, endpoint);
				this.endpoints.record(localRootSpanId, operation, endpoint);
			}
		}

		@Override
		public void threadEntered() {
			this.target.threadEntered();
		}

		@Override
		public void threadLeft() {
			this.target.threadLeft();
		}

	}

}
