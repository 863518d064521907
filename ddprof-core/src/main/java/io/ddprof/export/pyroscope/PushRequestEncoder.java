package io.ddprof.export.pyroscope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import io.ddprof.format.PprofWriter;
import io.ddprof.format.SampleFilter;
import io.ddprof.format.Samples;
import io.ddprof.profile.EventType;
import one.proto.Proto;

/**
 * Encodes a window as Pyroscope's {@code PushRequest}: one {@code RawProfileSeries} per
 * profile type with samples, labelled {@code __name__} and the service's labels, holding
 * one {@code RawSample} whose {@code raw_profile} is the gzip-compressed pprof. Written
 * from the messages' published field numbers (PushRequest: series = 1; RawProfileSeries:
 * labels = 1, samples = 2; LabelPair: name = 1, value = 2; RawSample: raw_profile = 1, ID
 * = 2).
 */
final class PushRequestEncoder {

	private PushRequestEncoder() {
	}

	/**
	 * Pyroscope's {@code __name__} of a profile type, as its Go and Java clients name
	 * them.
	 */
	static String profileName(EventType type) {
		return switch (type) {
			case CPU -> "process_cpu";
			case WALL -> "wall";
			case ALLOC, LIVE -> "memory";
			case LOCK -> "mutex";
		};
	}

	/**
	 * The request for these samples.
	 * @param samples the window's samples, joined to their spans
	 * @param labels the series labels besides {@code __name__}, such as
	 * {@code service_name}
	 */
	static byte[] encode(Samples samples, Map<String, String> labels) throws IOException {
		Proto request = new Proto(64 * 1024);
		for (EventType type : EventType.values()) {
			if (!hasSamples(samples, type)) {
				continue;
			}
			ByteArrayOutputStream pprof = new ByteArrayOutputStream();
			PprofWriter.write(samples, SampleFilter.of(type), PprofWriter.Flavor.PYROSCOPE, pprof);
			Proto series = new Proto(pprof.size() + 256);
			series.field(1, label("__name__", profileName(type)));
			labels.forEach((name, value) -> series.field(1, label(name, value)));
			series.field(2,
					new Proto(pprof.size() + 64).field(1, pprof.toByteArray()).field(2, UUID.randomUUID().toString()));
			request.field(1, series);
		}
		byte[] bytes = new byte[request.size()];
		System.arraycopy(request.buffer(), 0, bytes, 0, bytes.length);
		return bytes;
	}

	private static Proto label(String name, String value) {
		return new Proto(name.length() + value.length() + 8).field(1, name).field(2, value);
	}

	private static boolean hasSamples(Samples samples, EventType type) {
		for (int i = 0; i < samples.size(); i++) {
			if (samples.type(i) == type) {
				return true;
			}
		}
		return false;
	}

}
