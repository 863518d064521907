package io.ddprof.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ddprof.context.EndpointMark;
import io.ddprof.format.JfrChunkWriter.Field;
import io.ddprof.format.JfrChunkWriter.FieldKind;
import io.ddprof.profile.EventType;

/**
 * Writes samples as the JFR events Datadog's backend reads for code hotspots and endpoint
 * profiling, with the names, fields and types dd-java-agent's profiler writes: every CPU,
 * wall, allocation and live-heap sample carries the {@code spanId} and
 * {@code localRootSpanId} of the span it was joined to (0 outside a span), and every
 * server request its {@code datadog.Endpoint}. Lock waits are written as
 * {@code jdk.JavaMonitorEnter}, which Datadog reads from the JDK's own recording. What
 * the writer leaves out on purpose: every other event of the window (JVM arguments,
 * system properties), so nothing but samples and endpoints leaves the process.
 */
public final class DatadogJfrWriter {

	/** CPU samples. */
	public static final String EXECUTION_SAMPLE = "datadog.ExecutionSample";

	/** Wall-clock samples. */
	public static final String METHOD_SAMPLE = "datadog.MethodSample";

	/** Allocation samples. */
	public static final String OBJECT_SAMPLE = "datadog.ObjectSample";

	/** Sampled objects still alive at the end of the window. */
	public static final String HEAP_LIVE_OBJECT = "datadog.HeapLiveObject";

	/** The endpoint of a server request's local root span. */
	public static final String ENDPOINT = "datadog.Endpoint";

	/** Lock waits. */
	public static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";

	private static final Field SPAN_ID = new Field("spanId", FieldKind.LONG);

	private static final Field LOCAL_ROOT_SPAN_ID = new Field("localRootSpanId", FieldKind.LONG);

	private final Samples samples;

	private final JfrChunkWriter jfr = new JfrChunkWriter();

	private final Map<Integer, Long> stacks = new HashMap<>();

	private final JfrChunkWriter.EventType execution;

	private final JfrChunkWriter.EventType method;

	private final JfrChunkWriter.EventType object;

	private final JfrChunkWriter.EventType live;

	private final JfrChunkWriter.EventType endpoint;

	private final JfrChunkWriter.EventType monitor;

	private DatadogJfrWriter(Samples samples) {
		this.samples = samples;
		Field state = new Field("state", FieldKind.STRING);
		Field mode = new Field("mode", FieldKind.STRING);
		Field weight = new Field("weight", FieldKind.LONG);
		this.execution = this.jfr.eventType(EXECUTION_SAMPLE, false, true, state, mode, weight, SPAN_ID,
				LOCAL_ROOT_SPAN_ID);
		this.method = this.jfr.eventType(METHOD_SAMPLE, false, true, state, mode, weight, SPAN_ID, LOCAL_ROOT_SPAN_ID);
		Field objectClass = new Field("objectClass", FieldKind.CLASS);
		Field size = new Field("size", FieldKind.LONG);
		Field floatWeight = new Field("weight", FieldKind.FLOAT);
		this.object = this.jfr.eventType(OBJECT_SAMPLE, false, true, objectClass, size, floatWeight, SPAN_ID,
				LOCAL_ROOT_SPAN_ID);
		this.live = this.jfr.eventType(HEAP_LIVE_OBJECT, false, true, objectClass, new Field("age", FieldKind.LONG),
				size, floatWeight, SPAN_ID, LOCAL_ROOT_SPAN_ID);
		this.endpoint = this.jfr.eventType(ENDPOINT, true, false, new Field("endpoint", FieldKind.STRING),
				new Field("operation", FieldKind.STRING), LOCAL_ROOT_SPAN_ID);
		this.monitor = this.jfr.eventType(MONITOR_ENTER, true, true, new Field("monitorClass", FieldKind.CLASS));
	}

	/**
	 * Writes every sample and endpoint recorded in {@code samples} to {@code out} as one
	 * JFR chunk.
	 */
	public static void write(Samples samples, OutputStream out) throws IOException {
		write(samples, samples.endpoints(), out);
	}

	/**
	 * Writes every sample of {@code samples}, and {@code endpoints}, to {@code out} as
	 * one JFR chunk.
	 */
	public static void write(Samples samples, List<EndpointMark> endpoints, OutputStream out) throws IOException {
		DatadogJfrWriter writer = new DatadogJfrWriter(samples);
		for (int i = 0; i < samples.size(); i++) {
			writer.sample(i);
		}
		for (EndpointMark mark : endpoints) {
			writer.endpoint(mark);
		}
		writer.jfr.finish(out);
	}

	private void sample(int i) {
		Samples s = this.samples;
		SpanLabels span = s.span(i);
		long spanId = (span != null) ? span.spanId() : 0;
		long rootId = (span != null) ? span.localRootSpanId() : 0;
		int threadIndex = s.threadIndex(i);
		long thread = this.jfr.thread(s.threadIdAt(threadIndex), s.threadIdAt(threadIndex),
				s.threadNameAt(threadIndex));
		List<StackFrame> frames = s.stack(i);
		boolean classLeaf = !frames.isEmpty() && frames.get(0).kind() == StackFrame.Kind.CLASS;
		long stack = stack(s.stackId(i), frames, classLeaf ? 1 : 0);
		long time = s.timeNanos(i);
		EventType type = s.type(i);
		switch (type) {
			case CPU -> this.jfr.event(this.execution, time, 0, thread, stack, "RUNNABLE", mode(frames), s.count(i),
					spanId, rootId);
			case WALL -> this.jfr.event(this.method, time, 0, thread, stack, s.threadState(i).name(), mode(frames),
					s.count(i), spanId, rootId);
			case ALLOC -> {
				long size = (s.objectSize(i) > 0) ? s.objectSize(i) : s.value(i);
				this.jfr.event(this.object, time, 0, thread, stack, objectClass(frames, classLeaf), size,
						(float) ((double) s.value(i) / Math.max(1, size)), spanId, rootId);
			}
			case LIVE -> {
				long size = (s.objectSize(i) > 0) ? s.objectSize(i) : s.value(i);
				long age = Math.max(0, s.endNanos() - time);
				this.jfr.event(this.live, time, 0, thread, stack, objectClass(frames, classLeaf), age, size,
						liveWeight(size), spanId, rootId);
			}
			case LOCK -> this.jfr.event(this.monitor, time, s.value(i), thread, stack, objectClass(frames, classLeaf));
		}
	}

	private void endpoint(EndpointMark mark) {
		long thread = this.jfr.thread(mark.threadId(), mark.threadId(), mark.threadName());
		this.jfr.event(this.endpoint, mark.timeNanos(), 0, thread, 0, mark.endpoint(),
				(mark.operation() != null) ? mark.operation() : "unknown", mark.localRootSpanId());
	}

	private long stack(int stackId, List<StackFrame> frames, int from) {
		Long key = this.stacks.get(stackId);
		if (key == null) {
			key = this.jfr.stackTrace(frames, from, false);
			this.stacks.put(stackId, key);
		}
		return key;
	}

	private long objectClass(List<StackFrame> frames, boolean classLeaf) {
		return this.jfr.clazz(classLeaf ? frames.get(0).className() : "unknown");
	}

	/**
	 * How many objects a live-object sample stands for: async-profiler samples an object
	 * of {@code size} bytes with probability {@code 1 - exp(-size / interval)}.
	 */
	private float liveWeight(long size) {
		long interval = this.samples.period(EventType.LIVE);
		if (interval <= 0 || size <= 0) {
			return 1;
		}
		double probability = -Math.expm1(-(double) size / interval);
		return (float) (1 / probability);
	}

	/**
	 * Datadog's execution mode, from the leaf frame: Java, the JVM's own code, native
	 * code or the kernel.
	 */
	private static String mode(List<StackFrame> frames) {
		if (frames.isEmpty()) {
			return "UNKNOWN";
		}
		return switch (frames.get(0).kind()) {
			case INTERPRETED, JIT_COMPILED, INLINED, C1_COMPILED -> "JAVA";
			case CPP -> "JVM";
			case NATIVE -> "NATIVE";
			case KERNEL -> "SYSCALL";
			case CLASS -> "UNKNOWN";
		};
	}

}
