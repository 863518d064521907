package io.ddprof.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.ddprof.format.DatadogJfrWriter;
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
 * What the Datadog upload adds per window on the export thread: reading a window recorded
 * by the real profiler (joined to its spans) and writing it as Datadog's events
 * ({@link DatadogJfrWriter}). {@code readAndWrite} is the whole cost, {@code write} the
 * writer's share. The fixture's sample count and the sizes of the recorded and the
 * written file are printed, so that the cost reads per sample too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DatadogJfrWriterBenchmark {

	private RecordedWindows windows;

	private Samples samples;

	@Setup(Level.Trial)
	public void record() throws IOException, InterruptedException {
		this.windows = RecordedWindows.record(SpanJoinBenchmark.SAMPLES);
		this.samples = ProfileReader.read(this.windows.files());
		long recorded = 0;
		for (Path file : this.windows.files()) {
			recorded += Files.size(file);
		}
		Path written = Files.createTempFile("ddprof-datadog-", ".jfr");
		try (OutputStream out = Files.newOutputStream(written)) {
			DatadogJfrWriter.write(this.samples, out);
		}
		System.out.printf(
				"%nfixture: %d samples, %d endpoints, recorded %d bytes, written as Datadog's events %d bytes%n",
				this.samples.size(), this.samples.endpoints().size(), recorded, Files.size(written));
		Files.delete(written);
	}

	@TearDown(Level.Trial)
	public void delete() throws IOException {
		this.windows.delete();
	}

	@Benchmark
	public void readAndWrite() throws IOException {
		DatadogJfrWriter.write(ProfileReader.read(this.windows.files()), OutputStream.nullOutputStream());
	}

	@Benchmark
	public void write() throws IOException {
		DatadogJfrWriter.write(this.samples, OutputStream.nullOutputStream());
	}

}
