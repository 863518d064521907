package io.ddprof.format;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.ddprof.context.JfrSpanEvent;
import io.ddprof.format.JfrEventTypes.Source;
import io.ddprof.profile.EventType;
import jdk.jfr.consumer.EventStream;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * Reads a file written by the JDK Flight Recorder (the JFR engine) with
 * {@code jdk.jfr.consumer}. jfr-converter's reader is faster but cannot be used here: it
 * gives {@code jdk.ExecutionSample} and {@code jdk.NativeMethodSample} the same class and
 * thread state (CPU counts only the first), drops the event type of
 * {@code jdk.ActiveSetting} (so the two sampling periods cannot be told apart), and does
 * not read {@code jdk.OldObjectSample} or the {@code ddprof.Span} event.
 */
final class JdkRecordingFile {

	/**
	 * The JDK's default sampling period, assumed when the recording did not include its
	 * settings.
	 */
	private static final long DEFAULT_PERIOD = 20_000_000;

	/**
	 * Caches of objects the JDK shares within a chunk, cleared beyond this size to stay
	 * bounded.
	 */
	private static final int CACHE_LIMIT = 65_536;

	private static final Map<String, String> CLASS_FIELDS = Map.of("jdk.ObjectAllocationSample", "objectClass",
			JfrEventTypes.MONITOR_ENTER, "monitorClass", "jdk.ThreadPark", "parkedClass");

	private final SampleCollector collector;

	private final Map<RecordedStackTrace, int[]> stacks = new IdentityHashMap<>();

	private final Map<RecordedThread, Integer> threads = new IdentityHashMap<>();

	private final long executionPeriod;

	private final long nativePeriod;

	private JdkRecordingFile(SampleCollector collector, Map<String, Long> periods) {
		this.collector = collector;
		this.executionPeriod = periods.getOrDefault(JfrEventTypes.EXECUTION_SAMPLE, DEFAULT_PERIOD);
		this.nativePeriod = periods.getOrDefault(JfrEventTypes.NATIVE_METHOD_SAMPLE, DEFAULT_PERIOD);
		collector.period(EventType.CPU, this.executionPeriod);
		collector.period(EventType.WALL, this.executionPeriod);
		collector.period(EventType.LOCK, periods.getOrDefault(JfrEventTypes.MONITOR_ENTER, 0L));
	}

	/** Reads the file into {@code collector}. */
	static void read(Path file, SampleCollector collector) throws IOException {
		new JdkRecordingFile(collector, periods(file)).readEvents(file);
	}

	/**
	 * The sampling period (or threshold) in nanoseconds of each event type, from the
	 * file's {@code jdk.ActiveSetting} events. Read first, in a pass that parses nothing
	 * else, because every sample's value depends on it and the settings need not come
	 * first in the file.
	 */
	private static Map<String, Long> periods(Path file) throws IOException {
		Map<Long, String> names = new HashMap<>();
		try (RecordingFile recording = new RecordingFile(file)) {
			recording.readEventTypes().forEach((type) -> names.put(type.getId(), type.getName()));
		}
		Map<String, Long> periods = new HashMap<>();
		try (EventStream stream = EventStream.openFile(file)) {
			stream.onEvent("jdk.ActiveSetting", (setting) -> {
				String name = setting.getString("name");
				if ("period".equals(name) || "threshold".equals(name)) {
					long nanos = parseNanos(setting.getString("value"));
					String event = names.get(setting.getLong("id"));
					if (event != null && nanos > 0) {
						periods.put(event, nanos);
					}
				}
			});
			stream.start();
		}
		return periods;
	}

	/**
	 * Parses a JFR setting such as {@code 10 ms}; 0 for anything else
	 * ({@code everyChunk}, ...).
	 */
	static long parseNanos(String value) {
		if (value == null) {
			return 0;
		}
		String[] parts = value.trim().split("\\s+");
		if (parts.length != 2) {
			return 0;
		}
		long unit = switch (parts[1].toLowerCase(Locale.ROOT)) {
			case "ns" -> 1;
			case "us" -> 1_000;
			case "ms" -> 1_000_000;
			case "s" -> 1_000_000_000;
			case "m" -> 60_000_000_000L;
			case "h" -> 3_600_000_000_000L;
			case "d" -> 86_400_000_000_000L;
			default -> 0;
		};
		try {
			return Long.parseLong(parts[0]) * unit;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	// ddprof's own span events keep their ids in number fields; async-profiler's hold the
	// tag text.
	private static @Nullable String spanTag(RecordedEvent event) {
		return event.getEventType().getName().equals(JfrSpanEvent.NAME) ? JfrSpanEvent.tagOf(event)
				: event.getString("tag");
	}

	private void readEvents(Path file) throws IOException {
		long start = Long.MAX_VALUE;
		long end = Long.MIN_VALUE;
		try (RecordingFile recording = new RecordingFile(file)) {
			while (recording.hasMoreEvents()) {
				RecordedEvent event = recording.readEvent();
				String name = event.getEventType().getName();
				if (JfrEventTypes.isSpan(name)) {
					this.collector.span(thread(event.getThread()), nanos(event.getStartTime()),
							nanos(event.getEndTime()), spanTag(event));
				}
				else if (!accept(event, name)) {
					continue;
				}
				start = Math.min(start, nanos(event.getStartTime()));
				end = Math.max(end, nanos(event.getEndTime()));
			}
		}
		if (start <= end) {
			this.collector.cover(start, end);
		}
	}

	private boolean accept(RecordedEvent event, String name) {
		Set<EventType> types = JfrEventTypes.of(name, Source.JDK);
		if (types.isEmpty()) {
			return false;
		}
		boolean execution = JfrEventTypes.EXECUTION_SAMPLE.equals(name)
				|| JfrEventTypes.NATIVE_METHOD_SAMPLE.equals(name);
		boolean live = JfrEventTypes.OLD_OBJECT_SAMPLE.equals(name);
		int thread = thread(execution ? event.getThread("sampledThread") : event.getThread());
		int stack = stack(event.getStackTrace(), live ? liveClass(event) : eventClass(event, name));
		long time = nanos(live ? event.getInstant("allocationTime") : event.getStartTime());
		for (EventType type : types) {
			long value = switch (type) {
				case CPU, WALL -> wallValue(event, name);
				case ALLOC -> event.getLong("weight");
				// JDK 17's sample has no size; later JDKs add objectSize.
				case LIVE -> event.hasField("objectSize") ? event.getLong("objectSize") : 0;
				case LOCK -> event.getDuration().toNanos();
			};
			this.collector.sample(type, stack, thread, time, value, 1);
		}
		return true;
	}

	private long wallValue(RecordedEvent event, String name) {
		if (JfrEventTypes.EXECUTION_SAMPLE.equals(name)) {
			return this.executionPeriod;
		}
		if (JfrEventTypes.NATIVE_METHOD_SAMPLE.equals(name)) {
			return this.nativePeriod;
		}
		// Sleeps and waits are recorded whole: their weight is the time they took.
		return event.getDuration().toNanos();
	}

	private static @Nullable RecordedClass eventClass(RecordedEvent event, String name) {
		String field = CLASS_FIELDS.get(name);
		return (field != null && event.hasField(field)) ? event.getClass(field) : null;
	}

	private static @Nullable RecordedClass liveClass(RecordedEvent event) {
		RecordedObject object = event.hasField("object") ? event.getValue("object") : null;
		return (object != null && object.hasField("type")) ? object.getClass("type") : null;
	}

	private int thread(RecordedThread thread) {
		if (thread == null) {
			return this.collector.thread(0, 0, null);
		}
		Integer index = this.threads.get(thread);
		if (index == null) {
			if (this.threads.size() >= CACHE_LIMIT) {
				this.threads.clear();
			}
			String name = (thread.getJavaName() != null) ? thread.getJavaName() : thread.getOSName();
			index = this.collector.thread(thread.getJavaThreadId(), thread.getOSThreadId(), name);
			this.threads.put(thread, index);
		}
		return index;
	}

	private int stack(RecordedStackTrace trace, @Nullable RecordedClass leaf) {
		int[] frames = (trace != null) ? this.stacks.get(trace) : new int[0];
		if (frames == null) {
			if (this.stacks.size() >= CACHE_LIMIT) {
				this.stacks.clear();
			}
			frames = frames(trace.getFrames());
			this.stacks.put(trace, frames);
		}
		if (leaf == null) {
			return this.collector.stack(frames);
		}
		int[] withLeaf = new int[frames.length + 1];
		withLeaf[0] = this.collector
			.frame(new StackFrame(StackFrame.javaClassName(leaf.getName()), "", 0, StackFrame.Kind.CLASS));
		System.arraycopy(frames, 0, withLeaf, 1, frames.length);
		return this.collector.stack(withLeaf);
	}

	private int[] frames(List<RecordedFrame> frames) {
		int[] ids = new int[frames.size()];
		for (int i = 0; i < ids.length; i++) {
			RecordedFrame frame = frames.get(i);
			RecordedMethod method = frame.getMethod();
			String className = (method != null && method.getType() != null)
					? StackFrame.javaClassName(method.getType().getName()) : "";
			String methodName = (method != null) ? method.getName() : "unknown";
			ids[i] = this.collector.frame(
					new StackFrame(className, methodName, Math.max(frame.getLineNumber(), 0), kind(frame.getType())));
		}
		return ids;
	}

	private static StackFrame.Kind kind(String type) {
		if (type == null) {
			return StackFrame.Kind.JIT_COMPILED;
		}
		return switch (type) {
			case "Interpreted" -> StackFrame.Kind.INTERPRETED;
			case "Inlined" -> StackFrame.Kind.INLINED;
			case "Native" -> StackFrame.Kind.NATIVE;
			default -> StackFrame.Kind.JIT_COMPILED;
		};
	}

	private static long nanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

}
