package io.ddprof.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.ddprof.format.ProfileReader;
import io.ddprof.format.Samples;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading recorded windows and joining their samples to spans ({@link ProfileReader}),
 * the work every export, summary and download does once per window: windows recorded in
 * {@code @Setup} by the real profiler, holding at least 10,000 samples (the count is
 * printed) with spans and endpoints. The score is per read of all of them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpanJoinBenchmark {

	/** The fixture's minimum size. */
	static final int SAMPLES = 10_000;

	private RecordedWindows windows;

	@Setup(Level.Trial)
	public void record() throws IOException, InterruptedException {
		this.windows = RecordedWindows.record(SAMPLES);
		System.out.printf("%nfixture: %d samples in %d windows%n", this.windows.samples(), this.windows.files().size());
	}

	@TearDown(Level.Trial)
	public void delete() throws IOException {
		this.windows.delete();
	}

	@Benchmark
	public Samples readAndJoin() throws IOException {
		return ProfileReader.read(this.windows.files());
	}

}
