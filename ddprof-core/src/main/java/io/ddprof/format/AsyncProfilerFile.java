package io.ddprof.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import io.ddprof.format.JfrEventTypes.Source;
import io.ddprof.profile.EventType;
import one.jfr.ClassRef;
import one.jfr.Dictionary;
import one.jfr.JfrReader;
import one.jfr.MethodRef;
import one.jfr.StackTrace;
import one.jfr.event.AllocationSample;
import one.jfr.event.ContendedLock;
import one.jfr.event.Event;
import one.jfr.event.ExecutionSample;
import one.jfr.event.LiveObject;
import one.jfr.event.SpanEvent;
import org.jspecify.annotations.Nullable;

/**
 * Reads a file written by async-profiler with jfr-converter's {@link JfrReader}, which is
 * faster than {@code jdk.jfr.consumer} and hands out stack traces by constant-pool id, so
 * that each distinct stack of a chunk is resolved once. The reader's event classes do not
 * carry the event name, so each is looked up in {@link JfrEventTypes} by the name of the
 * event it stands for: an {@link ExecutionSample} is {@code jdk.ExecutionSample} when its
 * thread state is {@code STATE_DEFAULT} (async-profiler's mark for CPU samples) and
 * {@code profiler.WallClockSample} otherwise, the rule jfr-converter's own CPU and wall
 * views use; the allocation, live-object and lock classes each stand for events of one
 * profile type.
 */
final class AsyncProfilerFile {

	private static final StackFrame.Kind[] KINDS = StackFrame.Kind.values();

	private static final int[] NO_FRAMES = {};

	private final JfrReader jfr;

	private final SampleCollector collector;

	private @Nullable Dictionary<Integer> threads;

	private @Nullable Dictionary<Integer> stacks;

	private @Nullable Dictionary<String[]> methods;

	private @Nullable Dictionary<Integer> classes;

	private int cpuState;

	private int runnableState;

	private int sleepingState;

	private final Map<String, Long> knownSettings;

	private AsyncProfilerFile(JfrReader jfr, SampleCollector collector, Map<String, Long> knownSettings) {
		this.knownSettings = knownSettings;
		this.jfr = jfr;
		this.collector = collector;
	}

	/**
	 * Reads every chunk of an open file into {@code collector}; {@code knownSettings}
	 * ({@code interval}, {@code wall}, {@code alloc}, {@code lock}) stand in for settings
	 * the file does not carry, as in a window cut by {@code dump}.
	 */
	static void read(JfrReader jfr, SampleCollector collector, Map<String, Long> knownSettings) throws IOException {
		new AsyncProfilerFile(jfr, collector, knownSettings).read();
	}

	private void read() throws IOException {
		int first = this.collector.size();
		this.jfr.stopAtNewChunk = true;
		while (this.jfr.hasMoreChunks()) {
			// Constant-pool ids are per chunk.
			this.threads = new Dictionary<>();
			this.stacks = new Dictionary<>();
			this.methods = new Dictionary<>();
			this.classes = new Dictionary<>();
			this.cpuState = this.jfr.getEnumKey("jdk.types.ThreadState", "STATE_DEFAULT");
			this.runnableState = this.jfr.getEnumKey("jdk.types.ThreadState", "STATE_RUNNABLE");
			this.sleepingState = this.jfr.getEnumKey("jdk.types.ThreadState", "STATE_SLEEPING");
			for (Event event; (event = this.jfr.readEvent()) != null;) {
				accept(event);
			}
		}
		// The settings are complete only once the file has been read; until then CPU and
		// wall
		// values are sample counts.
		long cpu = setting("interval");
		long wall = setting("wall");
		this.collector.scale(first, EventType.CPU, cpu);
		this.collector.scale(first, EventType.WALL, (wall > 0) ? wall : cpu);
		this.collector.period(EventType.CPU, cpu);
		this.collector.period(EventType.WALL, (wall > 0) ? wall : cpu);
		this.collector.period(EventType.ALLOC, setting("alloc"));
		this.collector.period(EventType.LIVE, setting("alloc"));
		this.collector.period(EventType.LOCK, setting("lock"));
		this.collector.cover(this.jfr.startNanos, this.jfr.endNanos);
	}

	private void accept(Event event) {
		if (event instanceof SpanEvent span) {
			this.collector.span(thread(span.tid), nanos(span.time), nanos(span.time + span.duration), span.tag);
		}
		else if (event instanceof ExecutionSample sample) {
			String name = (sample.threadState == this.cpuState) ? JfrEventTypes.EXECUTION_SAMPLE
					: JfrEventTypes.WALL_CLOCK_SAMPLE;
			add(name, sample, 0, nanos(sample.time), sample.samples, sample.samples, 0, state(sample.threadState));
		}
		else if (event instanceof AllocationSample allocation) {
			// allocationSize is the object's size; value() the bytes the sample stands
			// for.
			add(JfrEventTypes.ALLOCATION_IN_NEW_TLAB, allocation, allocation.classId, nanos(allocation.time),
					allocation.value(), 1, allocation.allocationSize, ThreadState.RUNNABLE);
		}
		else if (event instanceof LiveObject live) {
			add(JfrEventTypes.LIVE_OBJECT, live, live.classId, nanos(live.allocationTime), live.allocationSize, 1,
					live.allocationSize, ThreadState.RUNNABLE);
		}
		else if (event instanceof ContendedLock lock) {
			add(JfrEventTypes.MONITOR_ENTER, lock, lock.classId, nanos(lock.time),
					(long) (lock.duration * this.jfr.nanosPerTick), 1, 0, ThreadState.SLEEPING);
		}
	}

	private ThreadState state(int threadState) {
		if (threadState == this.cpuState || threadState == this.runnableState) {
			return ThreadState.RUNNABLE;
		}
		return (threadState == this.sleepingState) ? ThreadState.SLEEPING : ThreadState.UNKNOWN;
	}

	private void add(String eventName, Event event, int classId, long time, long value, long count, long objectSize,
			ThreadState state) {
		Set<EventType> types = JfrEventTypes.of(eventName, Source.ASYNC_PROFILER);
		if (types.isEmpty()) {
			return;
		}
		int stack = stack(event.stackTraceId, classId);
		int thread = thread(event.tid);
		for (EventType type : types) {
			this.collector.sample(type, stack, thread, time, value, count, objectSize, state);
		}
	}

	private long nanos(long ticks) {
		return this.jfr.eventTimeToNanos(ticks);
	}

	private int thread(int tid) {
		Integer index = this.threads.get(tid);
		if (index == null) {
			Long javaThreadId = this.jfr.javaThreads.get(tid);
			index = this.collector.thread((javaThreadId != null) ? javaThreadId : 0, tid, this.jfr.threads.get(tid));
			this.threads.put(tid, index);
		}
		return index;
	}

	private int stack(int stackTraceId, int classId) {
		long key = (long) stackTraceId << 32 | (classId & 0xffffffffL);
		Integer index = this.stacks.get(key);
		if (index == null) {
			StackTrace trace = this.jfr.stackTraces.get(stackTraceId);
			int leaf = (classId != 0) ? 1 : 0;
			int depth = (trace != null) ? trace.methods.length : 0;
			int[] frames = (leaf + depth > 0) ? new int[leaf + depth] : NO_FRAMES;
			if (leaf > 0) {
				frames[0] = classFrame(classId);
			}
			for (int i = 0; i < depth; i++) {
				frames[leaf + i] = frame(trace.methods[i], trace.types[i], trace.locations[i] >>> 16);
			}
			index = this.collector.stack(frames);
			this.stacks.put(key, index);
		}
		return index;
	}

	private int frame(long methodId, byte type, int line) {
		String[] method = this.methods.get(methodId);
		if (method == null) {
			method = method(methodId, type);
			this.methods.put(methodId, method);
		}
		StackFrame.Kind kind = (type >= 0 && type < StackFrame.Kind.CLASS.ordinal()) ? KINDS[type]
				: StackFrame.Kind.JIT_COMPILED;
		return this.collector.frame(new StackFrame(method[0], method[1], line, kind));
	}

	private String[] method(long methodId, byte type) {
		MethodRef method = this.jfr.methods.get(methodId);
		if (method == null) {
			return new String[] { "", "unknown" };
		}
		String name = symbol(method.name);
		// Native, C++ and kernel frames of async-profiler are C functions: the class is
		// empty.
		boolean code = type == StackFrame.Kind.NATIVE.ordinal() || type == StackFrame.Kind.CPP.ordinal()
				|| type == StackFrame.Kind.KERNEL.ordinal();
		ClassRef cls = this.jfr.classes.get(method.cls);
		String className = (code || cls == null) ? "" : StackFrame.javaClassName(symbol(cls.name));
		return new String[] { className, name };
	}

	private int classFrame(int classId) {
		Integer index = this.classes.get(classId);
		if (index == null) {
			ClassRef cls = this.jfr.classes.get(classId);
			String name = (cls != null) ? StackFrame.javaClassName(symbol(cls.name)) : "unknown";
			index = this.collector.frame(new StackFrame(name, "", 0, StackFrame.Kind.CLASS));
			this.classes.put(classId, index);
		}
		return index;
	}

	private String symbol(long id) {
		byte[] bytes = this.jfr.symbols.get(id);
		return (bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : "";
	}

	private long setting(String name) {
		String value = this.jfr.settings.get(name);
		if (value == null) {
			return this.knownSettings.getOrDefault(name, 0L);
		}
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
