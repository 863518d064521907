package io.ddprof.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import io.ddprof.profile.EventType;
import one.proto.Proto;

/**
 * Writes selected samples as a gzip-compressed pprof profile ({@code profile.proto}, as
 * {@code go tool pprof} and Datadog read it). Samples with the same stack, thread and
 * span are merged. Each sample carries the string labels {@code span id},
 * {@code local root span id}, {@code trace id}, {@code trace endpoint} and
 * {@code thread name}, and the numeric label {@code thread id}. Sample types by profile
 * type:
 * <ul>
 * <li>cpu: {@code cpu/nanoseconds}, {@code samples/count}</li>
 * <li>wall: {@code wall/nanoseconds}</li>
 * <li>alloc: {@code alloc-space/bytes}, {@code alloc-samples/count}</li>
 * <li>live: {@code inuse-space/bytes}, {@code inuse-objects/count} (the JFR engine on JDK
 * 17 records no object sizes, so there the count is the only measure)</li>
 * <li>lock: {@code lock-time/nanoseconds}, {@code lock-count/count}</li>
 * </ul>
 * The {@link Flavor#PYROSCOPE} flavor writes what Grafana Pyroscope reads instead: Go's
 * sample type names and, as the only labels, {@code span_id} and {@code span_name} of the
 * local root span.
 */
public final class PprofWriter {

	// Field numbers of profile.proto.
	private static final int PROFILE_SAMPLE_TYPE = 1;

	private static final int PROFILE_SAMPLE = 2;

	private static final int PROFILE_MAPPING = 3;

	private static final int PROFILE_LOCATION = 4;

	private static final int PROFILE_FUNCTION = 5;

	private static final int PROFILE_STRING_TABLE = 6;

	private static final int PROFILE_TIME_NANOS = 9;

	private static final int PROFILE_DURATION_NANOS = 10;

	private static final int PROFILE_PERIOD_TYPE = 11;

	private static final int PROFILE_PERIOD = 12;

	private static final int PROFILE_DEFAULT_SAMPLE_TYPE = 14;

	private PprofWriter() {
	}

	/** The sample types ({@code type/unit}) written for a profile type, in order. */
	public static List<String> sampleTypes(EventType type) {
		return sampleTypes(type, Flavor.DDPROF);
	}

	/**
	 * The sample types ({@code type/unit}) written for a profile type in a flavor, in
	 * order.
	 */
	public static List<String> sampleTypes(EventType type, Flavor flavor) {
		if (flavor == Flavor.PYROSCOPE) {
			// Go's names, which Pyroscope's UI knows; values stay in ddprof's order
			// (value, count).
			return switch (type) {
				case CPU -> List.of("cpu/nanoseconds", "samples/count");
				case WALL -> List.of("wall/nanoseconds");
				case ALLOC -> List.of("alloc_space/bytes", "alloc_objects/count");
				case LIVE -> List.of("inuse_space/bytes", "inuse_objects/count");
				case LOCK -> List.of("delay/nanoseconds", "contentions/count");
			};
		}
		return switch (type) {
			case CPU -> List.of("cpu/nanoseconds", "samples/count");
			case WALL -> List.of("wall/nanoseconds");
			case ALLOC -> List.of("alloc-space/bytes", "alloc-samples/count");
			case LIVE -> List.of("inuse-space/bytes", "inuse-objects/count");
			case LOCK -> List.of("lock-time/nanoseconds", "lock-count/count");
		};
	}

	/**
	 * Writes the samples selected by {@code filter}, gzip-compressed; {@code out} is left
	 * open.
	 */
	public static void write(Samples samples, SampleFilter filter, OutputStream out) throws IOException {
		write(samples, filter, Flavor.DDPROF, out);
	}

	/**
	 * Writes the samples selected by {@code filter} in a flavor, gzip-compressed;
	 * {@code out} is left open.
	 */
	public static void write(Samples samples, SampleFilter filter, Flavor flavor, OutputStream out) throws IOException {
		try (GZIPOutputStream gzip = new GZIPOutputStream(new NonClosing(out), 64 * 1024)) {
			new Encoder(samples, filter.type(), flavor, gzip).write(filter);
		}
	}

	/** Which readers the sample types and labels are written for. */
	public enum Flavor {

		/** ddprof's own: {@code go tool pprof}, Datadog, the actuator's downloads. */
		DDPROF,

		/**
		 * Grafana Pyroscope's: Go sample type names; the local root span's id (16 hex
		 * digits) as {@code span_id} and its endpoint as {@code span_name}, which is how
		 * Pyroscope finds a span's profile. No thread or trace labels: Pyroscope turns
		 * labels into series.
		 */
		PYROSCOPE

	}

	/**
	 * Encodes one profile, streaming samples to {@code out} and the tables they refer to
	 * after them.
	 */
	private static final class Encoder {

		private final Samples samples;

		private final EventType type;

		private final Flavor flavor;

		private final OutputStream out;

		private final Map<String, Integer> strings = new LinkedHashMap<>();

		private final Map<String, Integer> functions = new LinkedHashMap<>();

		/**
		 * Whether a frame is referenced by a sample written; its location id is its index
		 * + 1.
		 */
		private final boolean[] usedFrames;

		private final Proto message = new Proto(256);

		private final Proto field = new Proto(1024);

		Encoder(Samples samples, EventType type, Flavor flavor, OutputStream out) {
			this.samples = samples;
			this.type = type;
			this.flavor = flavor;
			this.out = out;
			this.usedFrames = new boolean[samples.frameCount()];
			string("");
		}

		void write(SampleFilter filter) throws IOException {
			List<String> sampleTypes = sampleTypes(this.type, this.flavor);
			for (String sampleType : sampleTypes) {
				emit(PROFILE_SAMPLE_TYPE, valueType(sampleType));
			}
			for (Map.Entry<Key, long[]> entry : merge(filter).entrySet()) {
				emit(PROFILE_SAMPLE, sample(entry.getKey(), entry.getValue(), sampleTypes.size()));
			}
			emit(PROFILE_MAPPING, new Proto(32).field(1, 1).field(5, string("java")).field(7, 1).field(9, 1));
			for (int frame = 0; frame < this.usedFrames.length; frame++) {
				if (this.usedFrames[frame]) {
					emit(PROFILE_LOCATION, location(frame));
				}
			}
			for (Map.Entry<String, Integer> function : this.functions.entrySet()) {
				this.message.reset();
				this.message.field(1, function.getValue())
					.field(2, string(function.getKey()))
					.field(3, string(function.getKey()));
				emit(PROFILE_FUNCTION, this.message);
			}
			Proto periodType = valueType(sampleTypes.get(0));
			int defaultType = string(sampleTypes.get(0).substring(0, sampleTypes.get(0).indexOf('/')));
			Proto tail = new Proto(64).field(PROFILE_TIME_NANOS, this.samples.startNanos())
				.field(PROFILE_DURATION_NANOS, Math.max(0, this.samples.endNanos() - this.samples.startNanos()))
				.field(PROFILE_PERIOD_TYPE, periodType)
				.field(PROFILE_PERIOD, this.samples.period(this.type))
				.field(PROFILE_DEFAULT_SAMPLE_TYPE, defaultType);
			// The string table goes last: every other message has added its strings by
			// now.
			for (String string : this.strings.keySet()) {
				this.field.reset();
				this.field.field(PROFILE_STRING_TABLE, string);
				this.out.write(this.field.buffer(), 0, this.field.size());
			}
			this.out.write(tail.buffer(), 0, tail.size());
		}

		/** Sums the values of selected samples with the same stack, thread and span. */
		private Map<Key, long[]> merge(SampleFilter filter) {
			Map<Key, long[]> merged = new HashMap<>();
			for (int i = 0; i < this.samples.size(); i++) {
				if (filter.matches(this.samples, i)) {
					Key key = new Key(this.samples.stackId(i), this.samples.threadIndex(i), this.samples.spanIndex(i));
					long[] values = merged.computeIfAbsent(key, (k) -> new long[2]);
					values[0] += this.samples.value(i);
					values[1] += this.samples.count(i);
				}
			}
			return merged;
		}

		private Proto sample(Key key, long[] values, int valueCount) {
			this.message.reset();
			long locations = this.message.startField(1, 3);
			for (int frame : this.samples.frameIds(key.stack())) {
				this.usedFrames[frame] = true;
				this.message.writeInt(frame + 1);
			}
			this.message.commitField(locations);
			long packed = this.message.startField(2, 1);
			for (int v = 0; v < valueCount; v++) {
				this.message.writeLong(values[v]);
			}
			this.message.commitField(packed);
			if (this.flavor == Flavor.PYROSCOPE) {
				if (key.span() >= 0) {
					SpanLabels span = this.samples.labels(key.span());
					label("span_id", String.format("%016x", span.localRootSpanId()));
					if (span.endpoint() != null) {
						label("span_name", span.endpoint());
					}
				}
				return this.message;
			}
			int thread = key.thread();
			String threadName = this.samples.threadNameAt(thread);
			if (threadName != null) {
				label("thread name", threadName);
			}
			long mark = this.message.startField(3, 1);
			this.message.field(1, string("thread id")).field(3, this.samples.threadIdAt(thread));
			this.message.commitField(mark);
			if (key.span() >= 0) {
				SpanLabels span = this.samples.labels(key.span());
				label("span id", Long.toUnsignedString(span.spanId()));
				label("local root span id", Long.toUnsignedString(span.localRootSpanId()));
				label("trace id", span.traceId());
				if (span.endpoint() != null) {
					label("trace endpoint", span.endpoint());
				}
			}
			return this.message;
		}

		private Proto location(int frame) {
			StackFrame stackFrame = this.samples.frame(frame);
			Integer function = this.functions.get(stackFrame.name());
			if (function == null) {
				function = this.functions.size() + 1;
				this.functions.put(stackFrame.name(), function);
			}
			this.message.reset();
			this.message.field(1, frame + 1).field(2, 1);
			long line = this.message.startField(4, 1);
			this.message.field(1, function).field(2, stackFrame.line());
			this.message.commitField(line);
			return this.message;
		}

		/**
		 * Adds a string label to the sample being encoded, without allocating a message
		 * for it.
		 */
		private void label(String key, String value) {
			long mark = this.message.startField(3, 1);
			this.message.field(1, string(key)).field(2, string(value));
			this.message.commitField(mark);
		}

		private Proto valueType(String typeAndUnit) {
			int slash = typeAndUnit.indexOf('/');
			return new Proto(16).field(1, string(typeAndUnit.substring(0, slash)))
				.field(2, string(typeAndUnit.substring(slash + 1)));
		}

		private int string(String value) {
			Integer index = this.strings.get(value);
			if (index == null) {
				index = this.strings.size();
				this.strings.put(value, index);
			}
			return index;
		}

		/** Writes a top-level field holding {@code message}. */
		private void emit(int fieldNumber, Proto message) throws IOException {
			this.field.reset();
			this.field.field(fieldNumber, message);
			this.out.write(this.field.buffer(), 0, this.field.size());
		}

	}

	/** What samples are merged by. */
	private record Key(int stack, int thread, int span) {
	}

	/**
	 * Lets the gzip stream be closed (releasing its native deflater) without closing the
	 * caller's stream.
	 */
	private static final class NonClosing extends FilterOutputStream {

		NonClosing(OutputStream out) {
			super(out);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.out.write(b, off, len);
		}

		@Override
		public void close() throws IOException {
			flush();
		}

	}

}
