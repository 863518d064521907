package io.ddprof.export.otlp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.ddprof.format.Samples;
import io.ddprof.format.SpanLabels;
import io.ddprof.format.StackFrame;
import io.ddprof.profile.EventType;
import one.proto.Proto;
import org.jspecify.annotations.Nullable;

/**
 * Encodes the samples of a window as an OTLP {@code ExportProfilesServiceRequest} of
 * opentelemetry-proto {@value #PROTO_VERSION} ({@code profiles.v1development}): one
 * resource, one scope ({@code ddprof}), one {@code Profile} per profile type that has
 * samples, and one {@code ProfilesDictionary} shared by them. Samples with the same
 * stack, thread and span are merged; each carries the attributes {@code thread.name} and
 * {@code thread.id} and, when it ran in a span, the index of its {@code Link{trace_id,
 * span_id}}. Written with the protobuf encoder that the pprof writer uses, so the export
 * needs no protobuf runtime.
 */
final class OtlpProfilesEncoder {

	/** The opentelemetry-proto release whose messages this encoder writes. */
	static final String PROTO_VERSION = "1.11.0-alpha";

	private final Samples samples;

	private final Map<String, Integer> strings = new LinkedHashMap<>();

	private final Map<String, Integer> functions = new LinkedHashMap<>();

	private final Map<StackFrame, Integer> locations = new LinkedHashMap<>();

	private final Map<List<StackFrame>, Integer> stacks = new HashMap<>();

	private final List<int[]> stackTable = new ArrayList<>();

	private final Map<Long, Integer> threadIds = new HashMap<>();

	private final Map<String, Integer> threadNames = new HashMap<>();

	private final List<Proto> attributeTable = new ArrayList<>();

	private final Map<LinkKey, Integer> links = new HashMap<>();

	private final List<Proto> linkTable = new ArrayList<>();

	private OtlpProfilesEncoder(Samples samples) {
		this.samples = samples;
		string("");
		// attribute_table[0] is the zero value; sample attributes start at 1.
		this.attributeTable.add(new Proto(1));
	}

	/**
	 * The request for these samples.
	 * @param samples the window's samples, joined to their spans
	 * @param resource the resource attributes ({@code service.name}, ...), in order
	 * @param scopeVersion ddprof's version, or {@code null}
	 * @return the encoded {@code ExportProfilesServiceRequest}
	 */
	static byte[] encode(Samples samples, Map<String, String> resource, String scopeVersion) {
		return new OtlpProfilesEncoder(samples).request(resource, scopeVersion);
	}

	/** The value type ({@code type/unit}) of the profile sent for a profile type. */
	static String sampleType(EventType type) {
		return switch (type) {
			case CPU -> "cpu/nanoseconds";
			case WALL -> "wall/nanoseconds";
			case ALLOC -> "alloc_space/bytes";
			case LIVE -> "inuse_space/bytes";
			case LOCK -> "lock_time/nanoseconds";
		};
	}

	private byte[] request(Map<String, String> resource, String scopeVersion) {
		Proto scope = new Proto(4096);
		Proto instrumentationScope = new Proto(32).field(1, "ddprof");
		if (scopeVersion != null) {
			instrumentationScope.field(2, scopeVersion);
		}
		scope.field(1, instrumentationScope);
		for (EventType type : EventType.values()) {
			Proto profile = profile(type);
			if (profile != null) {
				scope.field(2, profile);
			}
		}
		Proto resourceProto = new Proto(256);
		resource
			.forEach((key, value) -> resourceProto.field(1, new Proto(64).field(1, key).field(2, anyString(value))));
		Proto resourceProfiles = new Proto(scope.size() + 512).field(1, resourceProto).field(2, scope);
		Proto dictionary = dictionary();
		Proto request = new Proto(resourceProfiles.size() + dictionary.size() + 16).field(1, resourceProfiles)
			.field(2, dictionary);
		byte[] bytes = new byte[request.size()];
		System.arraycopy(request.buffer(), 0, bytes, 0, bytes.length);
		return bytes;
	}

	private @Nullable Proto profile(EventType type) {
		Map<Key, long[]> merged = new LinkedHashMap<>();
		for (int i = 0; i < this.samples.size(); i++) {
			if (this.samples.type(i) == type) {
				Key key = new Key(this.samples.stack(i), this.samples.threadId(i), this.samples.threadName(i),
						this.samples.span(i));
				merged.computeIfAbsent(key, (k) -> new long[1])[0] += this.samples.value(i);
			}
		}
		if (merged.isEmpty()) {
			return null;
		}
		Proto profile = new Proto(merged.size() * 16 + 64);
		profile.field(1, valueType(sampleType(type)));
		for (Map.Entry<Key, long[]> entry : merged.entrySet()) {
			Key key = entry.getKey();
			Proto sample = new Proto(32).field(1, stack(key.stack()));
			long attributes = sample.startField(2, 1);
			sample.writeInt(this.threadIds.computeIfAbsent(key.threadId(),
					(id) -> attribute("thread.id", new Proto(16).field(3, id))));
			if (key.threadName() != null) {
				sample.writeInt(this.threadNames.computeIfAbsent(key.threadName(),
						(name) -> attribute("thread.name", anyString(name))));
			}
			sample.commitField(attributes);
			int link = link(key.span());
			if (link > 0) {
				sample.field(3, link);
			}
			long values = sample.startField(4, 2);
			sample.writeLong(entry.getValue()[0]);
			sample.commitField(values);
			profile.field(2, sample);
		}
		profile.fieldFixed64(3, this.samples.startNanos());
		profile.field(4, Math.max(0, this.samples.endNanos() - this.samples.startNanos()));
		profile.field(5, valueType(sampleType(type)));
		long period = this.samples.period(type);
		if (period > 0) {
			profile.field(6, period);
		}
		byte[] id = new byte[16];
		ThreadLocalRandom.current().nextBytes(id);
		profile.field(7, id);
		return profile;
	}

	private int stack(List<StackFrame> frames) {
		return this.stacks.computeIfAbsent(frames, (stack) -> {
			int[] indexes = new int[stack.size()];
			for (int i = 0; i < indexes.length; i++) {
				indexes[i] = location(stack.get(i));
			}
			this.stackTable.add(indexes);
			return this.stackTable.size();
		});
	}

	private int location(StackFrame frame) {
		return this.locations.computeIfAbsent(frame, (f) -> {
			function(f.name());
			return this.locations.size() + 1;
		});
	}

	private int function(String name) {
		return this.functions.computeIfAbsent(name, (n) -> {
			string(n);
			return this.functions.size() + 1;
		});
	}

	private int attribute(String key, Proto value) {
		this.attributeTable.add(new Proto(32).field(1, string(key)).field(2, value));
		return this.attributeTable.size() - 1;
	}

	private int link(@Nullable SpanLabels span) {
		if (span == null) {
			return 0;
		}
		byte[] traceId = traceId(span.traceId());
		if (traceId == null || span.spanId() == 0) {
			return 0;
		}
		return this.links.computeIfAbsent(new LinkKey(span.traceId(), span.spanId()), (k) -> {
			this.linkTable.add(new Proto(32).field(1, traceId).field(2, spanId(span.spanId())));
			return this.linkTable.size();
		});
	}

	/**
	 * A trace id of up to 32 hex digits as the 16 bytes OTLP wants, or {@code null} when
	 * it is not hex.
	 */
	static byte @Nullable [] traceId(String hex) {
		if (hex == null || hex.isEmpty() || hex.length() > 32) {
			return null;
		}
		byte[] bytes = new byte[16];
		String padded = "0".repeat(32 - hex.length()) + hex;
		for (int i = 0; i < 16; i++) {
			int high = Character.digit(padded.charAt(2 * i), 16);
			int low = Character.digit(padded.charAt(2 * i + 1), 16);
			if (high < 0 || low < 0) {
				return null;
			}
			bytes[i] = (byte) ((high << 4) | low);
		}
		return bytes;
	}

	private static byte[] spanId(long id) {
		byte[] bytes = new byte[8];
		for (int i = 7; i >= 0; i--) {
			bytes[i] = (byte) id;
			id >>>= 8;
		}
		return bytes;
	}

	private Proto dictionary() {
		Proto dictionary = new Proto(65536);
		// Index 0 of every table is its zero value, which references point to for "none".
		dictionary.field(1, new Proto(1));
		dictionary.field(2, new Proto(1));
		for (StackFrame frame : this.locations.keySet()) {
			Proto line = new Proto(16).field(1, this.functions.get(frame.name()));
			if (frame.line() > 0) {
				line.field(2, (long) frame.line());
			}
			dictionary.field(2, new Proto(32).field(3, line));
		}
		dictionary.field(3, new Proto(1));
		for (String name : this.functions.keySet()) {
			dictionary.field(3, new Proto(16).field(1, string(name)).field(2, string(name)));
		}
		// link_table[0] is the zero link, with ids of full length for strict decoders.
		dictionary.field(4, new Proto(32).field(1, new byte[16]).field(2, new byte[8]));
		this.linkTable.forEach((link) -> dictionary.field(4, link));
		for (String string : this.strings.keySet()) {
			dictionary.field(5, string);
		}
		this.attributeTable.forEach((attribute) -> dictionary.field(6, attribute));
		dictionary.field(7, new Proto(1));
		for (int[] stack : this.stackTable) {
			Proto message = new Proto(stack.length * 3 + 8);
			long packed = message.startField(1, 3);
			for (int location : stack) {
				message.writeInt(location);
			}
			message.commitField(packed);
			dictionary.field(7, message);
		}
		return dictionary;
	}

	private Proto valueType(String typeAndUnit) {
		int slash = typeAndUnit.indexOf('/');
		return new Proto(16).field(1, string(typeAndUnit.substring(0, slash)))
			.field(2, string(typeAndUnit.substring(slash + 1)));
	}

	private static Proto anyString(String value) {
		return new Proto(value.length() + 8).field(1, value);
	}

	private int string(String value) {
		Integer index = this.strings.get(value);
		if (index == null) {
			index = this.strings.size();
			this.strings.put(value, index);
		}
		return index;
	}

	/**
	 * What samples are merged by: OTLP's sample identity is its stack, attributes and
	 * link.
	 */
	private record Key(List<StackFrame> stack, long threadId, String threadName, @Nullable SpanLabels span) {
	}

	private record LinkKey(String traceId, long spanId) {
	}

}
