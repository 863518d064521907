package io.ddprof.context;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JfrSpanEvent} recorded by the JDK Flight Recorder and read back with
 * {@code jdk.jfr.consumer}: every tag reads back as written, and no text field of a span
 * scope or an endpoint holds an id, so that JFR's string cache never keeps a string per
 * request.
 */
class JfrSpanEventTests {

	@TempDir
	Path temp;

	private static final List<String> TAGS = List.of(
			SpanTag.scope("0af7651916cd43dd8448eb211c80319c", Long.parseUnsignedLong("18446744073709551615"), 42),
			SpanTag.scope("00f067aa0ba902b7", 7, Long.parseUnsignedLong("9223372036854775808")),
			SpanTag.endpoint(Long.parseUnsignedLong("18446744073709551614"), "servlet.request", "GET /orders/{id}"),
			SpanTag.endpoint(5, null, "GET /"),
			// Not a scope or an endpoint as SpanTag writes them: kept as text.
			"s not-hex 1 2", "s 00f067aa0ba902b7 -1 2", "e x servlet.request GET /", "before");

	@Test
	void everyTagReadsBackAsWritten() throws IOException {
		// The order in the file is JFR's (it differs between JDK 17 and 25), not the
		// order of commits.
		assertThat(record(TAGS)).extracting(JfrSpanEvent::tagOf).containsExactlyInAnyOrderElementsOf(TAGS);
	}

	@Test
	void scopesAndEndpointsKeepTheirIdsOutOfTextFields() throws IOException {
		List<RecordedEvent> events = record(TAGS.subList(0, 4));
		assertThat(events).allSatisfy((event) -> {
			assertThat(event.getString("tag")).isNull();
			assertThat(String.valueOf(event.getString("operation")) + event.getString("endpoint")).doesNotContain("42",
					"18446744073709551614", "0af7651916cd43dd");
		});
		assertThat(events).filteredOn((event) -> event.getLong("localRootSpanId") == 42)
			.singleElement()
			.satisfies((event) -> {
				assertThat(event.getLong("spanId")).isEqualTo(-1L);
				assertThat(event.getByte("traceIdDigits")).isEqualTo((byte) 32);
			});
		assertThat(events).filteredOn((event) -> event.getLong("spanId") == 7)
			.singleElement()
			.satisfies((event) -> assertThat(event.getByte("traceIdDigits")).isEqualTo((byte) 16));
		assertThat(events).filteredOn((event) -> event.getString("endpoint") != null)
			.extracting((event) -> event.getString("operation") + " " + event.getString("endpoint"))
			.containsExactlyInAnyOrder("servlet.request GET /orders/{id}", "unknown GET /");
	}

	private List<RecordedEvent> record(List<String> tags) throws IOException {
		Path file = this.temp.resolve("spans.jfr");
		try (Recording recording = new Recording(Map.of(JfrSpanEvent.NAME + "#enabled", "true"))) {
			recording.start();
			for (String tag : tags) {
				JfrSpanEvent event = new JfrSpanEvent();
				event.tag(tag);
				event.commit();
			}
			recording.stop();
			recording.dump(file);
		}
		return RecordingFile.readAllEvents(file)
			.stream()
			.filter((event) -> event.getEventType().getName().equals(JfrSpanEvent.NAME))
			.toList();
	}

}
