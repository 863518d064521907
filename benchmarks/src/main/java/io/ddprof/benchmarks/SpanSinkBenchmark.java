package io.ddprof.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

import io.ddprof.Profiler;
import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.SpanSink;
import io.ddprof.context.SpanTag;
import one.profiler.Span;
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
 * What the engine's side of a scope costs, to tell it apart from the tracing bridge's:
 * one span interval through the profiler's {@link SpanSink} ({@code interval}), a thread
 * entering and leaving the wall-clock filter ({@code enterAndLeave}), and
 * async-profiler's {@code Span.end} against {@code Span.endIfProfiled}, which writes
 * nothing when no sample fell into the interval.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanSinkBenchmark {

	private static final String TAG = SpanTag.scope("4bf92f3577b34da6a3ce929d0e0e4736", 0x00f067aa0ba902b7L,
			0x00f067aa0ba902b7L);

	/** Whether the profiler records ({@code running}) or is stopped. */
	@Param({ "stopped", "running" })
	public String profiler;

	private Path directory;

	private Profiler running;

	private SpanSink sink;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.directory = Files.createTempDirectory("ddprof-benchmark");
		this.running = new Profiler(ProfilerSettings.builder()
			.service("span-sink-benchmark")
			.engine(EngineChoice.ASYNC_PROFILER)
			.uploadEnabled(false)
			.tempDirectory(this.directory)
			.build());
		this.running.attachTracer();
		if (this.profiler.equals("running")) {
			this.running.start(false, false);
		}
		this.sink = this.running.spanSink();
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.running.stop(false);
		try (var files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	@Benchmark
	public void interval() {
		this.sink.end(this.sink.begin(), TAG);
	}

	@Benchmark
	public void enterAndLeave() {
		this.sink.threadEntered();
		this.sink.threadLeft();
	}

	@Benchmark
	public void asyncProfilerSpanEnd() {
		Span.end(Span.start(), TAG);
	}

	@Benchmark
	public void asyncProfilerSpanEndIfProfiled() {
		Span.endIfProfiled(Span.start(), TAG);
	}

}
