package io.ddprof;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/** Reads real JFR files with {@code jdk.jfr.consumer} for assertions. */
final class JfrEvents {

	private final List<RecordedEvent> events;

	private JfrEvents(List<RecordedEvent> events) {
		this.events = events;
	}

	static JfrEvents read(List<Path> files) throws IOException {
		List<RecordedEvent> events = new ArrayList<>();
		for (Path file : files) {
			events.addAll(RecordingFile.readAllEvents(file));
		}
		return new JfrEvents(events);
	}

	/** Events of the given types whose sampled (or event) thread has the given name. */
	List<RecordedEvent> of(Set<String> types, String threadName) {
		return this.events.stream()
			.filter((event) -> types.contains(event.getEventType().getName()))
			.filter((event) -> threadName.equals(threadName(event)))
			.toList();
	}

	List<RecordedEvent> of(Set<String> types) {
		return this.events.stream().filter((event) -> types.contains(event.getEventType().getName())).toList();
	}

	static String threadName(RecordedEvent event) {
		RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread") : event.getThread();
		if (thread == null) {
			return null;
		}
		return (thread.getJavaName() != null) ? thread.getJavaName() : thread.getOSName();
	}

	static String topMethod(RecordedEvent event) {
		List<RecordedFrame> frames = (event.getStackTrace() != null) ? event.getStackTrace().getFrames() : List.of();
		return frames.isEmpty() ? null : frames.get(0).getMethod().getName();
	}

	static boolean stackHas(RecordedEvent event, String method) {
		return event.getStackTrace() != null
				&& event.getStackTrace().getFrames().stream().anyMatch((f) -> method.equals(f.getMethod().getName()));
	}

	static double share(List<RecordedEvent> events, Predicate<RecordedEvent> predicate) {
		return events.isEmpty() ? 0 : (double) events.stream().filter(predicate).count() / events.size();
	}

}
