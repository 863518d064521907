package io.ddprof.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.ddprof.format.RecordedWindows.ExpectedSpan;
import io.ddprof.format.RecordedWindows.Window;
import io.ddprof.profile.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes real windows (async-profiler's and the JDK Flight Recorder's) as Datadog's
 * events and reads them back with the JDK's own parser, as any JFR consumer would: the
 * event types, field names and field types are those dd-java-agent writes, and the span
 * ids are those of the span each sample was taken in.
 */
class DatadogJfrWriterTests {

	@TempDir
	Path temp;

	@Nested
	class AsyncProfilerWindow {

		private final Window window = RecordedWindows.asyncProfiler();

		@Test
		void everyEventKindCarriesTheFieldsDatadogReadsWithTheirTypes() throws IOException {
			List<RecordedEvent> events = convert(this.window);
			assertFields(events, DatadogJfrWriter.EXECUTION_SAMPLE, "stackTrace:jdk.types.StackTrace",
					"eventThread:java.lang.Thread", "state:java.lang.String", "mode:java.lang.String", "weight:long",
					"spanId:long", "localRootSpanId:long");
			assertFields(events, DatadogJfrWriter.METHOD_SAMPLE, "stackTrace:jdk.types.StackTrace",
					"eventThread:java.lang.Thread", "state:java.lang.String", "mode:java.lang.String", "weight:long",
					"spanId:long", "localRootSpanId:long");
			assertFields(events, DatadogJfrWriter.OBJECT_SAMPLE, "stackTrace:jdk.types.StackTrace",
					"eventThread:java.lang.Thread", "objectClass:java.lang.Class", "size:long", "weight:float",
					"spanId:long", "localRootSpanId:long");
			assertFields(events, DatadogJfrWriter.HEAP_LIVE_OBJECT, "stackTrace:jdk.types.StackTrace",
					"eventThread:java.lang.Thread", "objectClass:java.lang.Class", "size:long", "weight:float",
					"spanId:long", "localRootSpanId:long");
			assertFields(events, DatadogJfrWriter.ENDPOINT, "eventThread:java.lang.Thread", "endpoint:java.lang.String",
					"operation:java.lang.String", "localRootSpanId:long");
			assertFields(events, DatadogJfrWriter.MONITOR_ENTER, "stackTrace:jdk.types.StackTrace",
					"eventThread:java.lang.Thread", "monitorClass:java.lang.Class");
		}

		@Test
		void cpuWallAllocationAndLiveSamplesInASpanCarryItsIdsAndItsLocalRoot() throws IOException {
			List<RecordedEvent> events = convert(this.window);
			assertCarrySpan(events, this.window, DatadogJfrWriter.EXECUTION_SAMPLE, "burnInNestedSpan", true);
			assertCarrySpan(events, this.window, DatadogJfrWriter.EXECUTION_SAMPLE, "burnInRootSpan", false);
			assertCarrySpan(events, this.window, DatadogJfrWriter.METHOD_SAMPLE, "sleepInNestedSpan", true);
			assertCarrySpan(events, this.window, DatadogJfrWriter.OBJECT_SAMPLE, "allocateInNestedSpan", true);
			assertCarrySpan(events, this.window, DatadogJfrWriter.HEAP_LIVE_OBJECT, "allocateInNestedSpan", true);
		}

		@Test
		void samplesOutsideAnySpanCarryZero() throws IOException {
			List<RecordedEvent> outside = select(convert(this.window), DatadogJfrWriter.EXECUTION_SAMPLE,
					"burnOutsideSpan");
			assertThat(outside).isNotEmpty()
				.allSatisfy((event) -> assertThat(event.getLong("spanId")).isZero())
				.allSatisfy((event) -> assertThat(event.getLong("localRootSpanId")).isZero());
		}

		@Test
		void everySampleIsWrittenOnceWithItsWeight() throws IOException {
			Samples samples = this.window.read();
			List<RecordedEvent> events = convert(this.window);
			Map<EventType, Long> expected = new EnumMap<>(EventType.class);
			for (int i = 0; i < samples.size(); i++) {
				expected.merge(samples.type(i),
						(samples.type(i) == EventType.CPU || samples.type(i) == EventType.WALL) ? samples.count(i) : 1,
						Long::sum);
			}
			assertThat(sum(events, DatadogJfrWriter.EXECUTION_SAMPLE, "weight")).isEqualTo(expected.get(EventType.CPU));
			assertThat(sum(events, DatadogJfrWriter.METHOD_SAMPLE, "weight")).isEqualTo(expected.get(EventType.WALL));
			assertThat(count(events, DatadogJfrWriter.OBJECT_SAMPLE)).isEqualTo(expected.get(EventType.ALLOC));
			assertThat(count(events, DatadogJfrWriter.HEAP_LIVE_OBJECT)).isEqualTo(expected.get(EventType.LIVE));
			assertThat(count(events, DatadogJfrWriter.MONITOR_ENTER)).isEqualTo(expected.get(EventType.LOCK));
		}

		@Test
		void allocationSamplesNameTheClassAndWeighTheBytesTheyStandFor() throws IOException {
			// The method's own allocations: below it, the list it retains into may grow
			// (an Object[]).
			List<RecordedEvent> allocations = select(convert(this.window), DatadogJfrWriter.OBJECT_SAMPLE,
					"allocateInNestedSpan")
				.stream()
				.filter((event) -> event.getStackTrace()
					.getFrames()
					.get(0)
					.getMethod()
					.getName()
					.equals("allocateInNestedSpan"))
				.toList();
			assertThat(allocations).isNotEmpty().allSatisfy((event) -> {
				assertThat(event.getClass("objectClass").getName()).isEqualTo("byte[]");
				assertThat(event.getLong("size")).isPositive();
				assertThat(event.getFloat("weight")).isGreaterThanOrEqualTo(1.0f);
			});
		}

		@Test
		void everyRequestWritesOneEndpointWithItsRouteOperationAndLocalRoot() throws IOException {
			List<RecordedEvent> endpoints = convert(this.window).stream()
				.filter((event) -> event.getEventType().getName().equals(DatadogJfrWriter.ENDPOINT))
				.toList();
			long roots = this.window.spans().values().stream().filter((span) -> !span.nested()).count();
			// A worker's last request may end after the recording: at most one per worker
			// is missing.
			assertThat(endpoints).hasSizeBetween((int) roots - RecordedWindows.ENDPOINTS.length, (int) roots);
			assertThat(endpoints).allSatisfy((event) -> {
				ExpectedSpan root = this.window.spans().get(event.getLong("localRootSpanId"));
				assertThat(root).isNotNull();
				assertThat(root.nested()).isFalse();
				assertThat(event.getString("endpoint")).isEqualTo(root.endpoint());
				assertThat(event.getString("operation")).isEqualTo("servlet.request");
				assertThat(event.getThread().getJavaName()).isEqualTo(root.thread());
			});
			assertThat(endpoints.stream().map((event) -> event.getLong("localRootSpanId")).distinct())
				.hasSameSizeAs(endpoints);
		}

	}

	@Nested
	class JdkWindow {

		private final Window window = RecordedWindows.jdk();

		@Test
		void cpuAndAllocationSamplesInASpanCarryItsIds() throws IOException {
			List<RecordedEvent> events = convert(this.window);
			assertCarrySpan(events, this.window, DatadogJfrWriter.EXECUTION_SAMPLE, "burnInNestedSpan", true);
			assertCarrySpan(events, this.window, DatadogJfrWriter.OBJECT_SAMPLE, "allocateInNestedSpan", true);
			assertThat(select(events, DatadogJfrWriter.ENDPOINT, null)).isNotEmpty();
		}

	}

	private List<RecordedEvent> convert(Window window) throws IOException {
		Path file = Files.createTempFile(this.temp, "datadog-", ".jfr");
		try (OutputStream out = Files.newOutputStream(file)) {
			DatadogJfrWriter.write(window.read(), out);
		}
		return RecordingFile.readAllEvents(file);
	}

	private static void assertFields(List<RecordedEvent> events, String type, String... fields) {
		RecordedEvent event = events.stream()
			.filter((candidate) -> candidate.getEventType().getName().equals(type))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + type + " event"));
		List<String> declared = new ArrayList<>();
		for (ValueDescriptor field : event.getEventType().getFields()) {
			declared.add(field.getName() + ":" + field.getTypeName());
		}
		assertThat(declared).as(type).contains(fields).contains("startTime:long");
		assertThat(event.getStartTime()).isNotNull();
		if (declared.contains("stackTrace:jdk.types.StackTrace")) {
			assertThat(event.getStackTrace().getFrames()).isNotEmpty();
		}
		assertThat(event.getThread().getJavaThreadId()).isPositive();
		// The JDK's jfr tool prints it: every method has a well-formed descriptor.
		assertThat(event.toString()).contains(type);
	}

	/**
	 * At least 95% of the method's events carry the ids of a span of their own thread and
	 * its local root.
	 */
	private static void assertCarrySpan(List<RecordedEvent> events, Window window, String type, String method,
			boolean nested) {
		List<RecordedEvent> selected = select(events, type, method);
		assertThat(selected).as("%s in %s", type, method).hasSizeGreaterThanOrEqualTo(5);
		Predicate<RecordedEvent> right = (event) -> {
			ExpectedSpan span = window.spans().get(event.getLong("spanId"));
			return span != null && span.nested() == nested && span.localRootSpanId() == event.getLong("localRootSpanId")
					&& span.thread().equals(event.getThread().getJavaName());
		};
		long correct = selected.stream().filter(right).count();
		assertThat((double) correct / selected.size()).as("%s in %s", type, method).isGreaterThanOrEqualTo(0.95);
	}

	private static List<RecordedEvent> select(List<RecordedEvent> events, String type, String method) {
		return events.stream()
			.filter((event) -> event.getEventType().getName().equals(type))
			.filter((event) -> method == null || runs(event, method))
			.toList();
	}

	private static boolean runs(RecordedEvent event, String method) {
		for (RecordedFrame frame : event.getStackTrace().getFrames()) {
			if (frame.getMethod().getName().equals(method)
					&& frame.getMethod().getType().getName().equals(RecordedWindows.class.getName())) {
				return true;
			}
		}
		return false;
	}

	private static long sum(List<RecordedEvent> events, String type, String field) {
		return select(events, type, null).stream().mapToLong((event) -> event.getLong(field)).sum();
	}

	private static long count(List<RecordedEvent> events, String type) {
		return select(events, type, null).size();
	}

}
