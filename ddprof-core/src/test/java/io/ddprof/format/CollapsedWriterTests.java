package io.ddprof.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.ddprof.profile.EventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Collapsed stacks written from a real async-profiler window. */
class CollapsedWriterTests {

	private static final String ROOT_SPAN_METHOD = RecordedWindows.class.getName() + ".burnInRootSpan";

	private final Samples samples = RecordedWindows.asyncProfiler().read();

	@Test
	void linesAreRootFirstFramesAndACount() throws IOException {
		List<String> lines = write(SampleFilter.of(EventType.CPU));
		assertThat(lines).isNotEmpty().allSatisfy((line) -> assertThat(line).matches("[^ ].*[^;] \\d+"));
		String hot = lines.stream().filter((line) -> line.contains(ROOT_SPAN_METHOD + ";")).findFirst().orElseThrow();
		assertThat(hot).startsWith("java.lang.Thread.run;");
		assertThat(hot.indexOf("burnInRootSpan")).isGreaterThan(hot.indexOf("run;"));
	}

	@Test
	void countsAddUpToTheSelectedSamplesAndNoStackRepeats() throws IOException {
		SampleFilter filter = SampleFilter.of(EventType.CPU).withEndpoint(RecordedWindows.ENDPOINTS[2]);
		List<String> lines = write(filter);
		long expected = 0;
		for (int i = 0; i < this.samples.size(); i++) {
			if (filter.matches(this.samples, i)) {
				expected += this.samples.count(i);
			}
		}
		assertThat(expected).isPositive();
		assertThat(lines.stream().mapToLong((line) -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum())
			.isEqualTo(expected);
		assertThat(lines.stream().map((line) -> line.substring(0, line.lastIndexOf(' '))).distinct())
			.hasSameSizeAs(lines);
	}

	@Test
	void allocationStacksEndInTheAllocatedClassWeightedInBytes() throws IOException {
		List<String> lines = write(SampleFilter.of(EventType.ALLOC));
		assertThat(lines).anySatisfy((line) -> assertThat(line).contains("allocateInNestedSpan;byte[] "));
		long bytes = 0;
		for (int i = 0; i < this.samples.size(); i++) {
			if (this.samples.type(i) == EventType.ALLOC) {
				bytes += this.samples.value(i);
			}
		}
		assertThat(lines.stream().mapToLong((line) -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum())
			.isEqualTo(bytes);
	}

	private List<String> write(SampleFilter filter) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		CollapsedWriter.write(this.samples, filter, out);
		return out.toString(StandardCharsets.UTF_8).lines().toList();
	}

}
