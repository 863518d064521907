package io.ddprof.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import io.ddprof.format.PprofWriter;
import io.ddprof.format.ProfileReader;
import io.ddprof.format.SampleFilter;
import io.ddprof.format.Samples;
import io.ddprof.profile.EventType;
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
 * Writing one profile type of recorded windows as gzip-compressed pprof
 * ({@link PprofWriter}), what a pprof download does per window after the read: the
 * samples are read once in {@code @Setup} from windows the real profiler recorded (at
 * least 10,000 samples, the count per type is printed), and each operation writes one
 * type to a discarding stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PprofWriterBenchmark {

	/** The profile type written. */
	@Param({ "cpu", "wall", "alloc" })
	public String type;

	private RecordedWindows windows;

	private Samples samples;

	private SampleFilter filter;

	@Setup(Level.Trial)
	public void record() throws IOException, InterruptedException {
		this.windows = RecordedWindows.record(SpanJoinBenchmark.SAMPLES);
		this.samples = ProfileReader.read(this.windows.files());
		EventType eventType = EventType.valueOf(this.type.toUpperCase(java.util.Locale.ROOT));
		this.filter = SampleFilter.of(eventType);
		int selected = 0;
		for (int i = 0; i < this.samples.size(); i++) {
			if (this.filter.matches(this.samples, i)) {
				selected++;
			}
		}
		System.out.printf("%nfixture: %d samples, %d of them %s%n", this.samples.size(), selected, this.type);
	}

	@TearDown(Level.Trial)
	public void delete() throws IOException {
		this.windows.delete();
	}

	@Benchmark
	public void write() throws IOException {
		PprofWriter.write(this.samples, this.filter, OutputStream.nullOutputStream());
	}

}
