package io.ddprof.spring.actuate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * A pprof profile ({@code profile.proto}) decoded field by field with protobuf's own wire
 * reader, which throws on anything malformed.
 *
 * @param strings the string table
 * @param samples the samples
 * @param sampleTypes the sample types as {@code type/unit}
 */
record Pprof(List<String> strings, int samples, List<String> sampleTypes) {

	private static final int SAMPLE_TYPE = 1;

	private static final int SAMPLE = 2;

	private static final int STRING_TABLE = 6;

	/** Decodes a gzip-compressed profile. */
	static Pprof decode(byte[] gzipped) throws IOException {
		byte[] bytes;
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			bytes = in.readAllBytes();
		}
		CodedInputStream in = CodedInputStream.newInstance(bytes);
		List<String> strings = new ArrayList<>();
		List<long[]> types = new ArrayList<>();
		int samples = 0;
		while (!in.isAtEnd()) {
			int tag = in.readTag();
			switch (WireFormat.getTagFieldNumber(tag)) {
				case STRING_TABLE -> strings.add(in.readString());
				case SAMPLE -> {
					checkWellFormed(in.readBytes());
					samples++;
				}
				case SAMPLE_TYPE -> types.add(valueType(in.readBytes()));
				default -> in.skipField(tag);
			}
		}
		List<String> sampleTypes = types.stream()
			.map((type) -> strings.get((int) type[0]) + "/" + strings.get((int) type[1]))
			.toList();
		return new Pprof(strings, samples, sampleTypes);
	}

	private static long[] valueType(ByteString message) throws IOException {
		CodedInputStream in = message.newCodedInput();
		long[] typeAndUnit = new long[2];
		while (!in.isAtEnd()) {
			int tag = in.readTag();
			int field = WireFormat.getTagFieldNumber(tag);
			if (field == 1 || field == 2) {
				typeAndUnit[field - 1] = in.readInt64();
			}
			else {
				in.skipField(tag);
			}
		}
		return typeAndUnit;
	}

	private static void checkWellFormed(ByteString message) throws IOException {
		CodedInputStream in = message.newCodedInput();
		while (!in.isAtEnd()) {
			in.skipField(in.readTag());
		}
	}

}
