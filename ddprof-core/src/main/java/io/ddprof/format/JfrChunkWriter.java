package io.ddprof.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Writes one JFR chunk (format 2.0, compressed integers) of event types declared by the
 * caller, with threads, classes, methods and stack traces in constant pools, readable by
 * the JDK's {@code jdk.jfr.consumer}, JDK Mission Control and Datadog's backend. It
 * exists because no library on Maven Central writes such files: the JDK writes only
 * events of the running JVM (the stack trace is always the caller's), and JMC's writer
 * (9.1) stores stack frames in a constant pool, which the JDK's parser rejects
 * ({@code ClassCastException} in {@code RecordedObject.structifyArray}) and declares
 * threads without {@code javaThreadId}.
 * <p>
 * The layout is the one async-profiler writes: header, events, one checkpoint holding
 * every constant pool, then the metadata; the header is written last, when the offsets
 * are known. Events are kept in memory until {@link #finish}: a window's events take a
 * few megabytes.
 */
final class JfrChunkWriter {

	private static final int HEADER_SIZE = 68;

	private static final long METADATA_TYPE = 0;

	private static final long CHECKPOINT_TYPE = 1;

	/** Field kinds an event type can declare besides its implicit ones. */
	enum FieldKind {

		LONG("long"), INT("int"), FLOAT("float"), BOOLEAN("boolean"), STRING("java.lang.String"),
		CLASS("java.lang.Class");

		private final String typeName;

		FieldKind(String typeName) {
			this.typeName = typeName;
		}

	}

	/** A field of an event type. */
	record Field(String name, FieldKind kind) {
	}

	/** A declared event type. */
	static final class EventType {

		private final long id;

		private final String name;

		private final boolean duration;

		private final boolean stackTrace;

		private final List<Field> fields;

		private EventType(long id, String name, boolean duration, boolean stackTrace, List<Field> fields) {
			this.id = id;
			this.name = name;
			this.duration = duration;
			this.stackTrace = stackTrace;
			this.fields = fields;
		}

	}

	// Type ids: fixed for the built-in types, from FIRST_EVENT_TYPE for events.
	private static final long T_BOOLEAN = 4;

	private static final long T_INT = 8;

	private static final long T_LONG = 9;

	private static final long T_FLOAT = 10;

	private static final long T_STRING = 20;

	private static final long T_THREAD = 21;

	private static final long T_CLASS = 22;

	private static final long T_STACK_TRACE = 23;

	private static final long T_STACK_FRAME = 24;

	private static final long T_METHOD = 25;

	private static final long T_SYMBOL = 26;

	private static final long T_FRAME_TYPE = 27;

	private static final long T_TIMESTAMP = 30;

	private static final long T_TIMESPAN = 31;

	private static final long T_LABEL = 32;

	private static final long FIRST_EVENT_TYPE = 100;

	private static final String UNKNOWN_DESCRIPTOR = "()V";

	private static final String[] FRAME_TYPES = { "Interpreted", "JIT compiled", "Inlined", "Native", "C++", "Kernel",
			"C1 compiled" };

	private final List<EventType> eventTypes = new ArrayList<>();

	private final Buffer events = new Buffer();

	private final Map<String, Long> symbols = new HashMap<>();

	private final Map<String, Long> classes = new HashMap<>();

	private final Map<List<Object>, Long> methods = new HashMap<>();

	private final Map<Long, Long> threadKeys = new HashMap<>();

	private final Buffer threadPool = new Buffer();

	private final Buffer stackPool = new Buffer();

	private int stackCount;

	private final Buffer symbolPool = new Buffer();

	private final Buffer classPool = new Buffer();

	private final Buffer methodPool = new Buffer();

	private final Buffer scratch = new Buffer();

	private long minNanos = Long.MAX_VALUE;

	private long maxNanos = Long.MIN_VALUE;

	/**
	 * Declares an event type: {@code startTime}, then {@code duration} if asked,
	 * {@code eventThread}, optionally {@code stackTrace}, then {@code fields}.
	 */
	EventType eventType(String name, boolean duration, boolean stackTrace, Field... fields) {
		EventType type = new EventType(FIRST_EVENT_TYPE + this.eventTypes.size(), name, duration, stackTrace,
				List.of(fields));
		this.eventTypes.add(type);
		return type;
	}

	/**
	 * The constant-pool key of a thread, added if new; threads are told apart by
	 * {@code key}.
	 */
	long thread(long key, long javaThreadId, String name) {
		Long existing = this.threadKeys.get(key);
		if (existing != null) {
			return existing;
		}
		long id = this.threadKeys.size() + 1;
		this.threadKeys.put(key, id);
		this.threadPool.varlong(id);
		this.threadPool.string(name);
		this.threadPool.varlong(javaThreadId);
		this.threadPool.string(name);
		this.threadPool.varlong(javaThreadId);
		return id;
	}

	/** The constant-pool key of a new stack trace of the given frames, leaf first. */
	long stackTrace(List<StackFrame> frames, int from, boolean truncated) {
		long id = ++this.stackCount;
		this.stackPool.varlong(id);
		this.stackPool.bool(truncated);
		this.stackPool.varint(frames.size() - from);
		for (int i = from; i < frames.size(); i++) {
			StackFrame frame = frames.get(i);
			this.stackPool.varlong(method(frame.className(), frame.methodName()));
			this.stackPool.varint(frame.line());
			this.stackPool.varint(0);
			int kind = frame.kind().ordinal();
			this.stackPool.varlong((kind < FRAME_TYPES.length) ? kind : 1);
		}
		return id;
	}

	/**
	 * The constant-pool key of a class by its Java name ({@code java.lang.String},
	 * {@code byte[]}).
	 */
	long clazz(String javaName) {
		Long id = this.classes.get(javaName);
		if (id == null) {
			id = (long) this.classes.size() + 1;
			this.classes.put(javaName, id);
			this.classPool.varlong(id);
			this.classPool.varlong(symbol(javaName.replace('.', '/')));
			this.classPool.varint(0);
		}
		return id;
	}

	/**
	 * Writes an event; {@code values} follow the type's declared fields: {@link Long} for
	 * {@code LONG}, {@code INT} and {@code CLASS} (a key from {@link #clazz}),
	 * {@link Float}, {@link Boolean}, {@link String}.
	 */
	void event(EventType type, long startNanos, long durationNanos, long thread, long stackTrace, Object... values) {
		this.minNanos = Math.min(this.minNanos, startNanos);
		this.maxNanos = Math.max(this.maxNanos, startNanos + durationNanos);
		Buffer body = this.scratch;
		body.reset();
		body.varlong(type.id);
		body.varlong(startNanos);
		if (type.duration) {
			body.varlong(durationNanos);
		}
		body.varlong(thread);
		if (type.stackTrace) {
			body.varlong(stackTrace);
		}
		for (int i = 0; i < type.fields.size(); i++) {
			Object value = values[i];
			switch (type.fields.get(i).kind()) {
				case LONG, INT, CLASS -> body.varlong((Long) value);
				case FLOAT -> body.floatBits((Float) value);
				case BOOLEAN -> body.bool((Boolean) value);
				case STRING -> body.string((String) value);
			}
		}
		this.events.sized(body);
	}

	/** Writes the chunk: header, events, constant pools, metadata. */
	void finish(OutputStream out) throws IOException {
		long start = (this.minNanos != Long.MAX_VALUE) ? this.minNanos : 0;
		long end = Math.max(start, this.maxNanos);
		Buffer checkpoint = checkpoint(start);
		Buffer metadata = metadata(start);
		long checkpointOffset = HEADER_SIZE + this.events.size();
		long metadataOffset = checkpointOffset + checkpoint.size();
		long size = metadataOffset + metadata.size();
		Buffer header = new Buffer();
		header.raw(new byte[] { 'F', 'L', 'R', 0 });
		header.u2(2);
		header.u2(0);
		header.u8(size);
		header.u8(checkpointOffset);
		header.u8(metadataOffset);
		header.u8(start);
		header.u8(end - start);
		header.u8(start);
		header.u8(1_000_000_000L);
		// File state 0 (complete) in the first byte, compressed integers in the last.
		header.u4(1);
		header.writeTo(out);
		this.events.writeTo(out);
		checkpoint.writeTo(out);
		metadata.writeTo(out);
	}

	private long symbol(String text) {
		Long id = this.symbols.get(text);
		if (id == null) {
			id = (long) this.symbols.size() + 1;
			this.symbols.put(text, id);
			this.symbolPool.varlong(id);
			this.symbolPool.string(text);
		}
		return id;
	}

	private long method(String className, String methodName) {
		List<Object> key = List.of(className, methodName);
		Long id = this.methods.get(key);
		if (id == null) {
			id = (long) this.methods.size() + 1;
			this.methods.put(key, id);
			this.methodPool.varlong(id);
			this.methodPool.varlong(clazz(className.isEmpty() ? "" : className));
			this.methodPool.varlong(symbol(methodName));
			// The signature is not known from a window's frames; readers (the JDK's jfr
			// tool among them)
			// need a well-formed descriptor, so every method reads as taking and
			// returning nothing.
			this.methodPool.varlong(symbol(UNKNOWN_DESCRIPTOR));
			this.methodPool.varint(0);
			this.methodPool.bool(false);
		}
		return id;
	}

	private Buffer checkpoint(long start) {
		Buffer body = new Buffer();
		body.varlong(CHECKPOINT_TYPE);
		body.varlong(start);
		body.varlong(0);
		body.varlong(0);
		body.bool(false);
		body.varint(6);
		pool(body, T_FRAME_TYPE, FRAME_TYPES.length, frameTypes());
		pool(body, T_THREAD, this.threadKeys.size(), this.threadPool);
		pool(body, T_STACK_TRACE, this.stackCount, this.stackPool);
		pool(body, T_METHOD, this.methods.size(), this.methodPool);
		pool(body, T_CLASS, this.classes.size(), this.classPool);
		pool(body, T_SYMBOL, this.symbols.size(), this.symbolPool);
		Buffer sized = new Buffer();
		sized.sized(body);
		return sized;
	}

	private static Buffer frameTypes() {
		Buffer pool = new Buffer();
		for (int i = 0; i < FRAME_TYPES.length; i++) {
			pool.varlong(i);
			pool.string(FRAME_TYPES[i]);
		}
		return pool;
	}

	private static void pool(Buffer body, long type, int count, Buffer entries) {
		body.varlong(type);
		body.varint(count);
		body.append(entries);
	}

	private Buffer metadata(long start) {
		Element root = new Element("root");
		Element metadata = root.child("metadata");
		primitive(metadata, T_BOOLEAN, "boolean");
		primitive(metadata, T_INT, "int");
		primitive(metadata, T_LONG, "long");
		primitive(metadata, T_FLOAT, "float");
		primitive(metadata, T_STRING, "java.lang.String");
		annotationType(metadata, T_TIMESTAMP, "jdk.jfr.Timestamp");
		annotationType(metadata, T_TIMESPAN, "jdk.jfr.Timespan");
		annotationType(metadata, T_LABEL, "jdk.jfr.Label");
		Element thread = type(metadata, T_THREAD, "java.lang.Thread", null);
		field(thread, "osName", T_STRING, false);
		field(thread, "osThreadId", T_LONG, false);
		field(thread, "javaName", T_STRING, false);
		field(thread, "javaThreadId", T_LONG, false);
		Element cls = type(metadata, T_CLASS, "java.lang.Class", null);
		field(cls, "name", T_SYMBOL, true);
		field(cls, "modifiers", T_INT, false);
		Element stackTrace = type(metadata, T_STACK_TRACE, "jdk.types.StackTrace", null);
		field(stackTrace, "truncated", T_BOOLEAN, false);
		field(stackTrace, "frames", T_STACK_FRAME, false).attribute("dimension", "1");
		Element frame = type(metadata, T_STACK_FRAME, "jdk.types.StackFrame", null);
		field(frame, "method", T_METHOD, true);
		field(frame, "lineNumber", T_INT, false);
		field(frame, "bytecodeIndex", T_INT, false);
		field(frame, "type", T_FRAME_TYPE, true);
		Element method = type(metadata, T_METHOD, "jdk.types.Method", null);
		field(method, "type", T_CLASS, true);
		field(method, "name", T_SYMBOL, true);
		field(method, "descriptor", T_SYMBOL, true);
		field(method, "modifiers", T_INT, false);
		field(method, "hidden", T_BOOLEAN, false);
		Element symbol = type(metadata, T_SYMBOL, "jdk.types.Symbol", null).attribute("simpleType", "true");
		field(symbol, "string", T_STRING, false);
		Element frameType = type(metadata, T_FRAME_TYPE, "jdk.types.FrameType", null).attribute("simpleType", "true");
		field(frameType, "description", T_STRING, false);
		for (EventType eventType : this.eventTypes) {
			Element event = type(metadata, eventType.id, eventType.name, "jdk.jfr.Event");
			field(event, "startTime", T_LONG, false).annotation(T_TIMESTAMP, "TICKS");
			if (eventType.duration) {
				field(event, "duration", T_LONG, false).annotation(T_TIMESPAN, "TICKS");
			}
			field(event, "eventThread", T_THREAD, true);
			if (eventType.stackTrace) {
				field(event, "stackTrace", T_STACK_TRACE, true);
			}
			for (Field extra : eventType.fields) {
				long typeId = switch (extra.kind()) {
					case LONG -> T_LONG;
					case INT -> T_INT;
					case FLOAT -> T_FLOAT;
					case BOOLEAN -> T_BOOLEAN;
					case STRING -> T_STRING;
					case CLASS -> T_CLASS;
				};
				field(event, extra.name(), typeId, extra.kind() == FieldKind.CLASS);
			}
		}
		Element region = root.child("region");
		region.attribute("locale", "en_US");
		region.attribute("gmtOffset", "0");
		Map<String, Integer> strings = new LinkedHashMap<>();
		root.collect(strings);
		Buffer body = new Buffer();
		body.varlong(METADATA_TYPE);
		body.varlong(start);
		body.varlong(0);
		body.varlong(1);
		body.varint(strings.size());
		for (String text : strings.keySet()) {
			body.string(text);
		}
		root.write(body, strings);
		Buffer sized = new Buffer();
		sized.sized(body);
		return sized;
	}

	private static void primitive(Element metadata, long id, String name) {
		type(metadata, id, name, null);
	}

	private static void annotationType(Element metadata, long id, String name) {
		Element annotation = type(metadata, id, name, "java.lang.annotation.Annotation");
		field(annotation, "value", T_STRING, false);
	}

	private static Element type(Element metadata, long id, String name, @Nullable String superType) {
		Element type = metadata.child("class").attribute("id", Long.toString(id)).attribute("name", name);
		if (superType != null) {
			type.attribute("superType", superType);
		}
		return type;
	}

	private static Element field(Element type, String name, long typeId, boolean constantPool) {
		Element field = type.child("field").attribute("name", name).attribute("class", Long.toString(typeId));
		if (constantPool) {
			field.attribute("constantPool", "true");
		}
		return field;
	}

	/** An element of the metadata tree. */
	private static final class Element {

		private final String name;

		private final Map<String, String> attributes = new LinkedHashMap<>();

		private final List<Element> children = new ArrayList<>();

		Element(String name) {
			this.name = name;
		}

		Element child(String childName) {
			Element child = new Element(childName);
			this.children.add(child);
			return child;
		}

		Element attribute(String key, String value) {
			this.attributes.put(key, value);
			return this;
		}

		void annotation(long typeId, String value) {
			child("annotation").attribute("class", Long.toString(typeId)).attribute("value", value);
		}

		void collect(Map<String, Integer> strings) {
			strings.putIfAbsent(this.name, strings.size());
			this.attributes.forEach((key, value) -> {
				strings.putIfAbsent(key, strings.size());
				strings.putIfAbsent(value, strings.size());
			});
			this.children.forEach((child) -> child.collect(strings));
		}

		void write(Buffer out, Map<String, Integer> strings) {
			out.varint(strings.get(this.name));
			out.varint(this.attributes.size());
			this.attributes.forEach((key, value) -> {
				out.varint(strings.get(key));
				out.varint(strings.get(value));
			});
			out.varint(this.children.size());
			this.children.forEach((child) -> child.write(out, strings));
		}

	}

	/** A growable byte buffer with JFR's encodings. */
	private static final class Buffer extends ByteArrayOutputStream {

		Buffer() {
			super(256);
		}

		void varint(int value) {
			varlong(value & 0xffffffffL);
		}

		/**
		 * JFR's compressed integer: seven bits a byte, low first, the ninth byte whole.
		 */
		void varlong(long value) {
			long v = value;
			for (int i = 0; i < 8; i++) {
				if ((v & ~0x7fL) == 0) {
					write((int) v);
					return;
				}
				write((int) ((v & 0x7f) | 0x80));
				v >>>= 7;
			}
			write((int) v);
		}

		void bool(boolean value) {
			write(value ? 1 : 0);
		}

		void floatBits(float value) {
			u4(Float.floatToIntBits(value));
		}

		/** A string as UTF-8 (encoding 3), or null (encoding 0). */
		void string(String value) {
			if (value == null) {
				write(0);
				return;
			}
			byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
			write(3);
			varint(bytes.length);
			write(bytes, 0, bytes.length);
		}

		void raw(byte[] bytes) {
			write(bytes, 0, bytes.length);
		}

		void u2(int value) {
			write(value >>> 8);
			write(value);
		}

		void u4(int value) {
			u2(value >>> 16);
			u2(value & 0xffff);
		}

		void u8(long value) {
			u4((int) (value >>> 32));
			u4((int) value);
		}

		void append(Buffer other) {
			write(other.buf, 0, other.count);
		}

		/**
		 * Appends {@code body} as a record: its size (counting the size's own bytes)
		 * first.
		 */
		void sized(Buffer body) {
			int length = body.size();
			int total = length + 1;
			while (varlongLength(total) + length != total) {
				total = length + varlongLength(total);
			}
			varint(total);
			append(body);
		}

		private static int varlongLength(long value) {
			int length = 1;
			long v = value;
			while ((v & ~0x7fL) != 0 && length < 9) {
				v >>>= 7;
				length++;
			}
			return length;
		}

	}

}
