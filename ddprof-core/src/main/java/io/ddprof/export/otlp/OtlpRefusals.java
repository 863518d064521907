package io.ddprof.export.otlp;

import java.nio.charset.StandardCharsets;

import io.ddprof.export.upload.UploadDestination;
import org.jspecify.annotations.Nullable;

/**
 * How a Collector refuses profiles: an HTTP 4xx, or a 2xx
 * {@code ExportProfilesServiceResponse} whose {@code partial_success} counts rejected
 * profiles. Either way the line names the protocol version sent, since the profiles
 * signal is still alpha and Collectors differ in what they take.
 */
final class OtlpRefusals implements UploadDestination.Refusals {

	private static final String VERSION_NOTE = "ddprof sends " + OtlpExporter.PROTOCOL;

	private final String where;

	OtlpRefusals(String where) {
		this.where = where;
	}

	@Override
	public String rejected(int status, String profile, long size) {
		String advice = switch (status) {
			case 401, 403 -> "check the credentials in ddprof.otlp.headers (OTEL_EXPORTER_OTLP_HEADERS)";
			case 404 -> "check ddprof.otlp.endpoint and that the Collector has an otlp receiver with profiles "
					+ "enabled (Collector feature gate service.profilesSupport)";
			case 413 -> "the window is " + size + " bytes; shorten ddprof.upload.period or raise the receiver's "
					+ "max_request_body_size";
			default -> "the Collector may not accept this version of the profiles signal";
		};
		return this.where + " refused " + profile + " with HTTP " + status + "; it is dropped, not retried ("
				+ VERSION_NOTE + "): " + advice;
	}

	@Override
	public @Nullable String refused(byte[] body) {
		PartialSuccess partial = PartialSuccess.parse(body);
		if (partial.rejectedProfiles() <= 0) {
			return null;
		}
		return "it rejected " + partial.rejectedProfiles() + " profile(s)"
				+ (partial.errorMessage().isEmpty() ? "" : " (" + partial.errorMessage() + ")") + "; " + VERSION_NOTE;
	}

	/**
	 * The {@code partial_success} of an {@code ExportProfilesServiceResponse}, read field
	 * by field (the export carries no protobuf runtime); an answer that does not parse
	 * counts as success.
	 *
	 * @param rejectedProfiles how many profiles the Collector rejected
	 * @param errorMessage why, or empty
	 */
	record PartialSuccess(long rejectedProfiles, String errorMessage) {

		static PartialSuccess parse(byte[] response) {
			try {
				Reader outer = new Reader(response, 0, response.length);
				while (outer.more()) {
					int tag = (int) outer.varint();
					if (tag == ((1 << 3) | 2)) {
						int length = (int) outer.varint();
						return partial(new Reader(response, outer.position, outer.position + length));
					}
					outer.skip(tag & 7);
				}
			}
			catch (IndexOutOfBoundsException | IllegalArgumentException ex) {
				// not an ExportProfilesServiceResponse: nothing was said about rejections
			}
			return new PartialSuccess(0, "");
		}

		private static PartialSuccess partial(Reader reader) {
			long rejected = 0;
			String message = "";
			while (reader.more()) {
				int tag = (int) reader.varint();
				if (tag == ((1 << 3) | 0)) {
					rejected = reader.varint();
				}
				else if (tag == ((2 << 3) | 2)) {
					int length = (int) reader.varint();
					message = new String(reader.bytes, reader.position, length, StandardCharsets.UTF_8);
					reader.position += length;
				}
				else {
					reader.skip(tag & 7);
				}
			}
			return new PartialSuccess(rejected, message);
		}

	}

	/** Reads protobuf wire format between two offsets. */
	private static final class Reader {

		private final byte[] bytes;

		private final int end;

		private int position;

		Reader(byte[] bytes, int start, int end) {
			if (end > bytes.length || start > end) {
				throw new IndexOutOfBoundsException("field beyond the answer");
			}
			this.bytes = bytes;
			this.position = start;
			this.end = end;
		}

		boolean more() {
			return this.position < this.end;
		}

		long varint() {
			long value = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				if (this.position >= this.end) {
					throw new IndexOutOfBoundsException("truncated varint");
				}
				byte b = this.bytes[this.position++];
				value |= (long) (b & 0x7f) << shift;
				if (b >= 0) {
					return value;
				}
			}
			throw new IllegalArgumentException("malformed varint");
		}

		void skip(int wireType) {
			switch (wireType) {
				case 0 -> varint();
				case 1 -> this.position += 8;
				case 2 -> this.position += (int) varint();
				case 5 -> this.position += 4;
				default -> throw new IllegalArgumentException("unknown wire type " + wireType);
			}
		}

	}

}
