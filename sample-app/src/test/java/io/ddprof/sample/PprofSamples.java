package io.ddprof.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * The samples of a gzip-compressed pprof profile ({@code profile.proto}), decoded field
 * by field with protobuf's own wire reader, independently of the profiler's reader and
 * writer.
 *
 * @param sampleTypes the sample types as {@code type/unit}
 * @param samples each sample's frames (function names, leaf first), values and string
 * labels
 */
record PprofSamples(List<String> sampleTypes, List<Sample> samples) {

	/**
	 * One sample.
	 *
	 * @param frames function names, leaf first
	 * @param values one value per sample type
	 * @param labels string labels by key
	 */
	record Sample(List<String> frames, long[] values, Map<String, String> labels) {
	}

	static PprofSamples decode(byte[] gzipped) throws IOException {
		byte[] bytes;
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			bytes = in.readAllBytes();
		}
		List<String> strings = new ArrayList<>();
		List<long[]> types = new ArrayList<>();
		List<RawSample> raw = new ArrayList<>();
		Map<Long, List<Long>> locationFunctions = new HashMap<>();
		Map<Long, Long> functionNames = new HashMap<>();
		CodedInputStream in = CodedInputStream.newInstance(bytes);
		while (!in.isAtEnd()) {
			int tag = in.readTag();
			switch (WireFormat.getTagFieldNumber(tag)) {
				case 1 -> types.add(longs(in.readBytes().newCodedInput(), 1, 2));
				case 2 -> raw.add(sample(in.readBytes().newCodedInput()));
				case 4 -> location(in.readBytes().newCodedInput(), locationFunctions);
				case 5 -> {
					long[] function = longs(in.readBytes().newCodedInput(), 1, 2);
					functionNames.put(function[0], function[1]);
				}
				case 6 -> strings.add(in.readString());
				default -> in.skipField(tag);
			}
		}
		List<String> sampleTypes = types.stream()
			.map((type) -> strings.get((int) type[0]) + "/" + strings.get((int) type[1]))
			.toList();
		List<Sample> samples = new ArrayList<>();
		for (RawSample sample : raw) {
			List<String> frames = new ArrayList<>();
			for (long location : sample.locations) {
				for (long function : locationFunctions.getOrDefault(location, List.of())) {
					frames.add(strings.get(functionNames.get(function).intValue()));
				}
			}
			Map<String, String> labels = new LinkedHashMap<>();
			sample.labels
				.forEach((key, value) -> labels.put(strings.get(key.intValue()), strings.get(value.intValue())));
			samples.add(new Sample(frames, sample.values.stream().mapToLong(Long::longValue).toArray(), labels));
		}
		return new PprofSamples(sampleTypes, samples);
	}

	/**
	 * The value of sample type {@code type} (such as {@code samples/count}) of
	 * {@code sample}.
	 */
	long value(Sample sample, String type) {
		int index = this.sampleTypes.indexOf(type);
		if (index < 0) {
			throw new IllegalArgumentException("no sample type " + type + " in " + this.sampleTypes);
		}
		return sample.values()[index];
	}

	private static RawSample sample(CodedInputStream in) throws IOException {
		RawSample sample = new RawSample();
		while (!in.isAtEnd()) {
			int tag = in.readTag();
			int field = WireFormat.getTagFieldNumber(tag);
			if (field == 1 || field == 2) {
				List<Long> target = (field == 1) ? sample.locations : sample.values;
				if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
					int limit = in.pushLimit(in.readRawVarint32());
					while (in.getBytesUntilLimit() > 0) {
						target.add(in.readInt64());
					}
					in.popLimit(limit);
				}
				else {
					target.add(in.readInt64());
				}
			}
			else if (field == 3) {
				long[] label = longs(in.readBytes().newCodedInput(), 1, 2);
				if (label[1] != 0) {
					sample.labels.put(label[0], label[1]);
				}
			}
			else {
				in.skipField(tag);
			}
		}
		return sample;
	}

	private static void location(CodedInputStream in, Map<Long, List<Long>> locationFunctions) throws IOException {
		long id = 0;
		List<Long> functions = new ArrayList<>();
		while (!in.isAtEnd()) {
			int tag = in.readTag();
			switch (WireFormat.getTagFieldNumber(tag)) {
				case 1 -> id = in.readUInt64();
				case 4 -> functions.add(longs(in.readBytes().newCodedInput(), 1)[0]);
				default -> in.skipField(tag);
			}
		}
		locationFunctions.put(id, functions);
	}

	/** The varint fields {@code fields} of a message, 0 where absent. */
	private static long[] longs(CodedInputStream in, int... fields) throws IOException {
		long[] values = new long[fields.length];
		while (!in.isAtEnd()) {
			int tag = in.readTag();
			int field = WireFormat.getTagFieldNumber(tag);
			boolean read = false;
			for (int i = 0; i < fields.length; i++) {
				if (fields[i] == field && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
					values[i] = in.readInt64();
					read = true;
					break;
				}
			}
			if (!read) {
				in.skipField(tag);
			}
		}
		return values;
	}

	private static final class RawSample {

		final List<Long> locations = new ArrayList<>();

		final List<Long> values = new ArrayList<>();

		final Map<Long, Long> labels = new LinkedHashMap<>();

	}

}
