package io.ddprof.spring.tracing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.ddprof.context.SpanTag;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The CPU samples and span intervals of real recordings, joined independently of the
 * exporter's join: same thread, sample time inside the interval, innermost interval wins.
 */
final class RecordedSpans {

	private final List<Sample> samples;

	private final Map<Long, List<Interval>> intervals;

	private final Map<Long, List<String>> endpoints;

	private RecordedSpans(List<Sample> samples, Map<Long, List<Interval>> intervals,
			Map<Long, List<String>> endpoints) {
		this.samples = samples;
		this.intervals = intervals;
		this.endpoints = endpoints;
	}

	static RecordedSpans read(List<Path> files) throws IOException {
		List<Sample> samples = new ArrayList<>();
		Map<Long, List<Interval>> intervals = new HashMap<>();
		Map<Long, List<String>> endpoints = new HashMap<>();
		for (Path file : files) {
			for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
				String type = event.getEventType().getName();
				if (type.equals("jdk.ExecutionSample")) {
					RecordedThread thread = event.getThread("sampledThread");
					if (thread != null && event.getStackTrace() != null) {
						List<String> methods = event.getStackTrace()
							.getFrames()
							.stream()
							.map(RecordedFrame::getMethod)
							.map((method) -> method.getType().getName() + "." + method.getName())
							.toList();
						samples.add(new Sample(thread.getJavaThreadId(), event.getStartTime(), methods));
					}
				}
				else if (type.equals("profiler.Span") || type.equals("ddprof.Span")) {
					SpanTag tag = type.equals("ddprof.Span") ? jfrSpanTag(event)
							: SpanTag.parse(event.getString("tag"));
					if (tag == null) {
						continue;
					}
					if (tag.isEndpoint()) {
						endpoints.computeIfAbsent(tag.localRootSpanId(), (id) -> new ArrayList<>()).add(tag.endpoint());
					}
					else {
						intervals.computeIfAbsent(event.getThread().getJavaThreadId(), (id) -> new ArrayList<>())
							.add(new Interval(event.getStartTime(), event.getEndTime(), tag));
					}
				}
			}
		}
		return new RecordedSpans(samples, intervals, endpoints);
	}

	/**
	 * The tag of the JFR engine's span event, read here from its fields rather than by
	 * the engine's own code: the ids are numbers, the trace id in two halves.
	 */
	private static SpanTag jfrSpanTag(RecordedEvent event) {
		if (event.getString("tag") != null) {
			return SpanTag.parse(event.getString("tag"));
		}
		if (event.getString("endpoint") != null) {
			return new SpanTag(null, 0, event.getLong("localRootSpanId"), event.getString("endpoint"),
					event.getString("operation"));
		}
		String low = String.format("%016x", event.getLong("traceIdLow"));
		String traceId = switch (event.getByte("traceIdDigits")) {
			case 16 -> low;
			case 32 -> String.format("%016x", event.getLong("traceIdHigh")) + low;
			default -> null;
		};
		return (traceId != null) ? new SpanTag(traceId, event.getLong("spanId"), event.getLong("localRootSpanId"))
				: null;
	}

	/** The CPU samples that match {@code predicate}. */
	List<Sample> samples(Predicate<Sample> predicate) {
		return this.samples.stream().filter(predicate).toList();
	}

	/** The span in scope when {@code sample} was taken, or {@code null}. */
	SpanTag spanOf(Sample sample) {
		Interval innermost = null;
		for (Interval interval : this.intervals.getOrDefault(sample.threadId(), List.of())) {
			if (!interval.contains(sample.time())) {
				continue;
			}
			if (innermost == null || interval.start().isAfter(innermost.start())
					|| (interval.start().equals(innermost.start()) && interval.end().isBefore(innermost.end()))) {
				innermost = interval;
			}
		}
		return (innermost != null) ? innermost.tag() : null;
	}

	/** The endpoints recorded for a local root span, once each time one was recorded. */
	List<String> endpoints(long localRootSpanId) {
		return this.endpoints.getOrDefault(localRootSpanId, List.of());
	}

	/** How many intervals were recorded for the span with the given id, on any thread. */
	long intervalCount(long spanId) {
		return this.intervals.values()
			.stream()
			.flatMap(List::stream)
			.filter((interval) -> interval.tag().spanId() == spanId)
			.count();
	}

	/**
	 * How many pairs of intervals of the span with the given id overlap on one thread:
	 * what a scope recorded twice (once per hook that saw it) leaves. Separate scopes of
	 * one span, one after the other, do not overlap.
	 */
	long overlappingIntervals(long spanId) {
		long overlapping = 0;
		for (List<Interval> onThread : this.intervals.values()) {
			List<Interval> ofSpan = onThread.stream().filter((interval) -> interval.tag().spanId() == spanId).toList();
			for (int i = 0; i < ofSpan.size(); i++) {
				for (int j = i + 1; j < ofSpan.size(); j++) {
					Interval a = ofSpan.get(i);
					Interval b = ofSpan.get(j);
					if (a.start().isBefore(b.end()) && b.start().isBefore(a.end())) {
						overlapping++;
					}
				}
			}
		}
		return overlapping;
	}

	/**
	 * A CPU sample: its thread, time and stack (innermost frame first, as
	 * {@code Class.method}).
	 */
	record Sample(long threadId, Instant time, List<String> methods) {

		boolean has(String method) {
			return this.methods.stream().anyMatch((frame) -> frame.endsWith("." + method));
		}

		int count(String method) {
			return (int) this.methods.stream().filter((frame) -> frame.endsWith("." + method)).count();
		}

	}

	private record Interval(Instant start, Instant end, SpanTag tag) {

		boolean contains(Instant time) {
			return !time.isBefore(this.start) && !time.isAfter(this.end);
		}

	}

}
