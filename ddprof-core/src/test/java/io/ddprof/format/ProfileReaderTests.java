package io.ddprof.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.ddprof.format.RecordedWindows.ExpectedSpan;
import io.ddprof.format.RecordedWindows.Window;
import io.ddprof.profile.EventType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Reads real windows recorded by async-profiler and by the JDK Flight Recorder and checks
 * that samples are joined to the spans the workers had in scope.
 */
class ProfileReaderTests {

	/** Enough samples for a share to mean something. */
	private static final int MIN_SAMPLES = 10;

	@Nested
	class AsyncProfilerWindow {

		private final Window window = RecordedWindows.asyncProfiler();

		private final Samples samples = this.window.read();

		@Test
		void cpuSamplesInARootSpanCarryThatSpansIdsAndEndpoint() {
			assertLabelled(this.samples, this.window, EventType.CPU, "burnInRootSpan", false);
		}

		@Test
		void cpuSamplesInANestedSpanCarryTheNestedSpanIdAndTheRootAsLocalRoot() {
			assertLabelled(this.samples, this.window, EventType.CPU, "burnInNestedSpan", true);
		}

		@Test
		void samplesOutsideAnySpanCarryNoSpan() {
			assertUnlabelled(this.samples, "burnOutsideSpan");
		}

		@Test
		void concurrentSpansOnSeveralThreadsDoNotSwapLabels() {
			int labelled = assertLabelsOfOwnThread(this.samples, this.window);
			assertThat(this.samples.size()).isGreaterThan(labelled);
		}

		@Test
		void wallAllocationLockAndLiveSamplesInANestedSpanCarryItsLabels() {
			assertLabelled(this.samples, this.window, EventType.WALL, "sleepInNestedSpan", true);
			assertLabelled(this.samples, this.window, EventType.ALLOC, "allocateInNestedSpan", true);
			assertLabelled(this.samples, this.window, EventType.LOCK, "contendInNestedSpan", true);
			assertLabelled(this.samples, this.window, EventType.LIVE, "allocateInNestedSpan", true);
		}

		@Test
		void valuesAreInNanosecondsAndBytes() {
			List<Integer> cpu = select(this.samples, EventType.CPU, "burnInRootSpan");
			assertThat(cpu).allSatisfy((i) -> assertThat(this.samples.value(i))
				.isEqualTo(this.samples.count(i) * RecordedWindows.CPU_INTERVAL_NANOS));
			assertThat(this.samples.period(EventType.CPU)).isEqualTo(RecordedWindows.CPU_INTERVAL_NANOS);
			assertThat(this.samples.period(EventType.WALL)).isEqualTo(5_000_000);
			assertThat(this.samples.period(EventType.ALLOC)).isEqualTo(64 * 1024);
			assertThat(select(this.samples, EventType.ALLOC, "allocateInNestedSpan"))
				.allSatisfy((i) -> assertThat(this.samples.value(i)).isGreaterThanOrEqualTo(16 * 1024));
			// A wait for a monitor held 3 ms at a time by two other workers, which a
			// loaded machine
			// may stretch but never beyond the recording.
			assertThat(select(this.samples, EventType.LOCK, "contendInNestedSpan"))
				.allSatisfy((i) -> assertThat(this.samples.value(i)).isPositive()
					.isLessThan(RecordedWindows.RECORDING.toNanos()));
		}

		@Test
		void allocationStacksEndInTheAllocatedClass() {
			// Allocated by the method itself, not by the list that retains some of them.
			List<Integer> allocations = select(this.samples, EventType.ALLOC, "allocateInNestedSpan").stream()
				.filter((i) -> this.samples.stack(i).get(1).methodName().equals("allocateInNestedSpan"))
				.toList();
			assertThat(allocations).isNotEmpty()
				.allSatisfy((i) -> assertThat(this.samples.stack(i).get(0))
					.isEqualTo(new StackFrame("byte[]", "", 0, StackFrame.Kind.CLASS)));
		}

		@Test
		void workerSamplesCarryTheJavaThreadIdAndName() {
			List<Integer> inRoot = select(this.samples, EventType.CPU, "burnInRootSpan");
			assertThat(inRoot).allSatisfy((i) -> assertThat(this.samples.threadId(i))
				.isEqualTo(this.window.threadIds().get(this.samples.threadName(i))));
		}

		@Test
		void readingConsecutiveWindowsTogetherKeepsEverySample(@TempDir Path temp) throws IOException {
			Path copy = Files.copy(this.window.file(), temp.resolve("copy.jfr"));
			Samples both = ProfileReader.read(List.of(this.window.file(), copy));
			assertThat(both.size()).isEqualTo(2 * this.samples.size());
			assertThat(select(both, EventType.CPU, "burnInNestedSpan"))
				.hasSize(2 * select(this.samples, EventType.CPU, "burnInNestedSpan").size());
		}

		@Test
		void everyChunkOfAFileIsRead(@TempDir Path temp) throws IOException {
			// JFR files concatenate: two recordings one after the other are one file of
			// two chunks.
			byte[] chunk = Files.readAllBytes(this.window.file());
			Path file = temp.resolve("two-chunks.jfr");
			Files.write(file, chunk);
			Files.write(file, chunk, StandardOpenOption.APPEND);
			Samples twice = ProfileReader.read(file);
			assertThat(twice.size()).isEqualTo(2 * this.samples.size());
			assertThat(select(twice, EventType.CPU, "burnInNestedSpan"))
				.allSatisfy((i) -> assertThat(twice.span(i)).isEqualTo(this.samples.span(i % this.samples.size())));
		}

	}

	@Nested
	class JdkFlightRecorderWindow {

		private final Window window = RecordedWindows.jdk();

		private final Samples samples = this.window.read();

		@Test
		void executionSamplesCountForCpuAndWallWithTheirSpanLabels() {
			assertLabelled(this.samples, this.window, EventType.CPU, "burnInRootSpan", false);
			assertLabelled(this.samples, this.window, EventType.CPU, "burnInNestedSpan", true);
			List<Integer> cpuInNested = select(this.samples, EventType.CPU, "burnInNestedSpan");
			// Every execution sample is also a wall sample, at the same time on the same
			// thread.
			List<String> wall = select(this.samples, EventType.WALL, "burnInNestedSpan").stream()
				.map((i) -> this.samples.threadId(i) + "@" + this.samples.timeNanos(i))
				.toList();
			assertThat(wall).containsAll(cpuInNested.stream()
				.map((i) -> this.samples.threadId(i) + "@" + this.samples.timeNanos(i))
				.toList());
		}

		@Test
		void nativeMethodSamplesCountForWallOnly() {
			List<Integer> wallInNative = inNativeCode(
					select(this.samples, EventType.WALL, "blockInNativeInNestedSpan"));
			assertThat(wallInNative).isNotEmpty();
			assertThat(share(this.samples, wallInNative, this.window, true)).isGreaterThanOrEqualTo(0.9);
			assertThat(inNativeCode(select(this.samples, EventType.CPU, "blockInNativeInNestedSpan"))).isEmpty();
		}

		@Test
		void samplesOutsideAnySpanCarryNoSpan() {
			assertUnlabelled(this.samples, "burnOutsideSpan");
		}

		@Test
		void allocationAndLockSamplesInANestedSpanCarryItsLabels() {
			assertLabelled(this.samples, this.window, EventType.ALLOC, "allocateInNestedSpan", true);
			assertLabelled(this.samples, this.window, EventType.LOCK, "contendInNestedSpan", true);
		}

		@Test
		void concurrentSpansOnSeveralThreadsDoNotSwapLabels() {
			assertLabelsOfOwnThread(this.samples, this.window);
		}

		@Test
		void valuesUseThePeriodsOfTheRecording() {
			assertThat(this.samples.period(EventType.CPU)).isEqualTo(10_000_000);
			List<Integer> cpu = select(this.samples, EventType.CPU, "burnInRootSpan");
			assertThat(cpu).allSatisfy((i) -> assertThat(this.samples.value(i)).isEqualTo(10_000_000));
			List<Integer> blocked = inNativeCode(select(this.samples, EventType.WALL, "blockInNativeInNestedSpan"));
			assertThat(blocked).isNotEmpty().allSatisfy((i) -> assertThat(this.samples.value(i)).isEqualTo(20_000_000));
		}

		/**
		 * The samples whose leaf is a Java native method: jdk.NativeMethodSample, never
		 * jdk.ExecutionSample.
		 */
		private List<Integer> inNativeCode(List<Integer> selected) {
			return selected.stream()
				.filter((i) -> this.samples.stack(i).get(0).kind() == StackFrame.Kind.NATIVE)
				.toList();
		}

	}

	@Test
	void aFileThatIsNotARecordingIsAnIOExceptionNamingIt(@TempDir Path temp) throws IOException {
		Path file = Files.writeString(temp.resolve("window.jfr"), "not a recording");
		assertThatIOException().isThrownBy(() -> ProfileReader.read(file)).withMessageContaining("window.jfr");
	}

	@Test
	void aTruncatedRecordingIsAnIOException(@TempDir Path temp) throws IOException {
		byte[] bytes = Files.readAllBytes(RecordedWindows.asyncProfiler().file());
		Path file = Files.write(temp.resolve("cut.jfr"), Arrays.copyOf(bytes, bytes.length / 2));
		assertThatIOException().isThrownBy(() -> ProfileReader.read(file)).withMessageContaining("cut.jfr");
	}

	/**
	 * The samples of a type whose stack runs through a method of {@link RecordedWindows}.
	 */
	static List<Integer> select(Samples samples, EventType type, String method) {
		List<Integer> selected = new ArrayList<>();
		for (int i = 0; i < samples.size(); i++) {
			if (samples.type(i) == type && runs(samples, i, method)) {
				selected.add(i);
			}
		}
		return selected;
	}

	static boolean runs(Samples samples, int i, String method) {
		return samples.stack(i)
			.stream()
			.anyMatch((frame) -> frame.className().equals(RecordedWindows.class.getName())
					&& frame.methodName().equals(method));
	}

	/**
	 * Asserts that there are samples of the type in the method and that at least 90% of
	 * them carry the labels of a span of their own thread, root or nested as asked: a
	 * sample taken just as a span opens or closes may fall on either side.
	 */
	static void assertLabelled(Samples samples, Window window, EventType type, String method, boolean nested) {
		List<Integer> selected = select(samples, type, method);
		int least = (type == EventType.CPU) ? MIN_SAMPLES : 1;
		assertThat(selected).as("%s samples in %s", type, method).hasSizeGreaterThanOrEqualTo(least);
		assertThat(share(samples, selected, window, nested)).as("%s samples in %s", type, method)
			.isGreaterThanOrEqualTo(0.9);
	}

	/** Asserts that there are CPU samples in the method and that none carries a span. */
	static void assertUnlabelled(Samples samples, String method) {
		List<Integer> selected = select(samples, EventType.CPU, method);
		assertThat(selected).isNotEmpty().allSatisfy((i) -> assertThat(samples.span(i)).isNull());
	}

	/**
	 * Asserts that every sample carrying a span was taken on the thread that ran that
	 * span, with all of that span's labels; returns how many samples carry a span.
	 */
	static int assertLabelsOfOwnThread(Samples samples, Window window) {
		int labelled = 0;
		for (int i = 0; i < samples.size(); i++) {
			SpanLabels span = samples.span(i);
			if (span != null) {
				labelled++;
				ExpectedSpan expected = window.spans().get(span.spanId());
				assertThat(expected).as("span %d", span.spanId()).isNotNull();
				assertThat(samples.threadName(i)).isEqualTo(expected.thread());
				assertThat(span).isEqualTo(new SpanLabels(expected.traceId(), span.spanId(), expected.localRootSpanId(),
						expected.endpoint()));
			}
		}
		assertThat(labelled).isGreaterThan(3 * MIN_SAMPLES);
		return labelled;
	}

	/**
	 * The share of the samples carrying the labels of a span of their own thread, root or
	 * nested as asked.
	 */
	static double share(Samples samples, List<Integer> selected, Window window, boolean nested) {
		return (double) selected.stream().filter((i) -> labelledAs(samples, i, window, nested)).count()
				/ selected.size();
	}

	private static boolean labelledAs(Samples samples, int i, Window window, boolean nested) {
		SpanLabels span = samples.span(i);
		if (span == null) {
			return false;
		}
		ExpectedSpan expected = window.spans().get(span.spanId());
		return expected != null && expected.nested() == nested && expected.thread().equals(samples.threadName(i))
				&& span.equals(new SpanLabels(expected.traceId(), span.spanId(), expected.localRootSpanId(),
						expected.endpoint()));
	}

}
