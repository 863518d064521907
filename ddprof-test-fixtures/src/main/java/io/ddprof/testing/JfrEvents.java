package io.ddprof.testing;

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

/**
 * Reads real JFR files with {@code jdk.jfr.consumer} for assertions, sharing no code with
 * ddprof's readers.
 */
public final class JfrEvents {

	private final List<RecordedEvent> events;

	private JfrEvents(List<RecordedEvent> events) {
		this.events = events;
	}

	/** Every event of {@code files}, in file order. */
	public static JfrEvents read(List<Path> files) throws IOException {
		List<RecordedEvent> events = new ArrayList<>();
		for (Path file : files) {
			events.addAll(RecordingFile.readAllEvents(file));
		}
		return new JfrEvents(events);
	}

	/** Events of the given types whose sampled (or event) thread has the given name. */
	public List<RecordedEvent> of(Set<String> types, String threadName) {
		return this.events.stream()
			.filter((event) -> types.contains(event.getEventType().getName()))
			.filter((event) -> threadName.equals(threadName(event)))
			.toList();
	}

	/** Events of the given types. */
	public List<RecordedEvent> of(Set<String> types) {
		return this.events.stream().filter((event) -> types.contains(event.getEventType().getName())).toList();
	}

	/**
	 * The distinct names of the methods {@code method} accepts on the stacks of the
	 * events of {@code file} whose type starts with {@code typePrefix}, in order of first
	 * appearance: which of a test's own methods a kind of sample saw.
	 */
	public static List<String> methodsOnStacks(Path file, String typePrefix, Predicate<String> method)
			throws IOException {
		return RecordingFile.readAllEvents(file)
			.stream()
			.filter((event) -> event.getEventType().getName().startsWith(typePrefix) && event.getStackTrace() != null)
			.flatMap((event) -> event.getStackTrace().getFrames().stream())
			.map((frame) -> frame.getMethod().getName())
			.filter(method)
			.distinct()
			.toList();
	}

	/**
	 * The method names, top frame first, of the stack of every event of type {@code type}
	 * in {@code file}.
	 */
	public static List<List<String>> stacks(Path file, String type) throws IOException {
		List<List<String>> stacks = new ArrayList<>();
		for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
			if (event.getEventType().getName().equals(type) && event.getStackTrace() != null) {
				stacks.add(event.getStackTrace()
					.getFrames()
					.stream()
					.map((frame) -> frame.getMethod().getName())
					.toList());
			}
		}
		return stacks;
	}

	/**
	 * The name of the event's sampled thread, else of its own thread; {@code null}
	 * without either.
	 */
	public static String threadName(RecordedEvent event) {
		RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread") : event.getThread();
		if (thread == null) {
			return null;
		}
		return (thread.getJavaName() != null) ? thread.getJavaName() : thread.getOSName();
	}

	/** The method of the top frame, or {@code null} without a stack. */
	public static String topMethod(RecordedEvent event) {
		List<RecordedFrame> frames = (event.getStackTrace() != null) ? event.getStackTrace().getFrames() : List.of();
		return frames.isEmpty() ? null : frames.get(0).getMethod().getName();
	}

	/** Whether a method named {@code method}, of any class, is on the event's stack. */
	public static boolean stackHas(RecordedEvent event, String method) {
		return event.getStackTrace() != null
				&& event.getStackTrace().getFrames().stream().anyMatch((f) -> method.equals(f.getMethod().getName()));
	}

	/** Whether {@code className.method} is on the event's stack. */
	public static boolean stackHas(RecordedEvent event, String className, String method) {
		return event.getStackTrace() != null && event.getStackTrace()
			.getFrames()
			.stream()
			.anyMatch((f) -> method.equals(f.getMethod().getName())
					&& className.equals(f.getMethod().getType().getName()));
	}

	/** The share of {@code events} that {@code predicate} accepts; 0 for none. */
	public static double share(List<RecordedEvent> events, Predicate<RecordedEvent> predicate) {
		return events.isEmpty() ? 0 : (double) events.stream().filter(predicate).count() / events.size();
	}

}
