package io.ddprof.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

import brave.Tracing;
import brave.propagation.CurrentTraceContext;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import io.ddprof.Profiler;
import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.spring.tracing.BraveSpans;
import io.ddprof.spring.tracing.ProfilingObservationHandler;
import io.ddprof.spring.tracing.ProfilingScopeDecorator;
import io.ddprof.spring.tracing.SpanScopes;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one scope opening and closing on a real Brave tracer, with and without the
 * profiler's scope hook, with the profiler recording and stopped: a Brave scope alone
 * ({@code braveScope*}), a Brave scope nested in another one already open on the thread
 * ({@code nestedBraveScope*}, no wall-clock filter change), and an Observation's scope,
 * which both the Observation handler and the scope decorator see
 * ({@code observationScope*}). Recording writes one span event per scope into a real JFR
 * file under {@code java.io.tmpdir}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScopeHookBenchmark {

	/**
	 * Whether the profiler records ({@code running}) or is stopped, so that the hook only
	 * keeps its stack.
	 */
	@Param({ "stopped", "running" })
	public String profiler;

	private Path directory;

	private Profiler running;

	private Tracing plainTracing;

	private Tracing profiledTracing;

	private CurrentTraceContext plain;

	private CurrentTraceContext profiled;

	private TraceContext parent;

	private TraceContext child;

	private CurrentTraceContext.Scope parentScope;

	private ObservationRegistry plainRegistry;

	private ObservationRegistry profiledRegistry;

	private Observation plainObservation;

	private Observation profiledObservation;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.directory = Files.createTempDirectory("ddprof-benchmark");
		this.running = new Profiler(ProfilerSettings.builder()
			.service("scope-hook-benchmark")
			.engine(EngineChoice.ASYNC_PROFILER)
			.uploadEnabled(false)
			.tempDirectory(this.directory)
			.build());
		this.running.attachTracer();
		if (this.profiler.equals("running")) {
			this.running.start(false, false);
		}
		SpanScopes scopes = new SpanScopes(this.running.spanSink(), this.running.problems());
		BraveSpans spans = new BraveSpans();
		this.plain = ThreadLocalCurrentTraceContext.newBuilder().build();
		this.profiled = ThreadLocalCurrentTraceContext.newBuilder()
			.addScopeDecorator(new ProfilingScopeDecorator(scopes, spans))
			.build();
		this.plainTracing = Tracing.newBuilder().currentTraceContext(this.plain).build();
		this.profiledTracing = Tracing.newBuilder().currentTraceContext(this.profiled).build();
		brave.Span parentSpan = this.profiledTracing.tracer().newTrace();
		this.parent = parentSpan.context();
		this.child = this.profiledTracing.tracer().newChild(this.parent).context();
		this.plainRegistry = registry(this.plainTracing, this.plain, null);
		this.profiledRegistry = registry(this.profiledTracing, this.profiled, spans.observationHandler(scopes));
		this.plainObservation = Observation.start("benchmark", this.plainRegistry);
		this.profiledObservation = Observation.start("benchmark", this.profiledRegistry);
	}

	private static ObservationRegistry registry(Tracing tracing, CurrentTraceContext context,
			ProfilingObservationHandler handler) {
		BraveTracer tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(context),
				new BraveBaggageManager());
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		if (handler != null) {
			registry.observationConfig().observationHandler(handler);
		}
		return registry;
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.plainObservation.stop();
		this.profiledObservation.stop();
		this.plainTracing.close();
		this.profiledTracing.close();
		this.running.stop(false);
		try (var files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	@Benchmark
	public void braveScope() {
		try (CurrentTraceContext.Scope scope = this.plain.newScope(this.parent)) {
			// Only the scope change is measured.
		}
	}

	@Benchmark
	public void braveScopeProfiled() {
		try (CurrentTraceContext.Scope scope = this.profiled.newScope(this.parent)) {
			// Only the scope change is measured.
		}
	}

	@Benchmark
	public void nestedBraveScope() {
		try (CurrentTraceContext.Scope outer = this.plain.newScope(this.parent)) {
			try (CurrentTraceContext.Scope scope = this.plain.newScope(this.child)) {
				// Only the scope changes are measured.
			}
		}
	}

	@Benchmark
	public void nestedBraveScopeProfiled() {
		try (CurrentTraceContext.Scope outer = this.profiled.newScope(this.parent)) {
			try (CurrentTraceContext.Scope scope = this.profiled.newScope(this.child)) {
				// Only the scope changes are measured.
			}
		}
	}

	@Benchmark
	public void observationScope() {
		try (Observation.Scope scope = this.plainObservation.openScope()) {
			// Only the scope change is measured.
		}
	}

	@Benchmark
	public void observationScopeProfiled() {
		try (Observation.Scope scope = this.profiledObservation.openScope()) {
			// Only the scope change is measured.
		}
	}

}
