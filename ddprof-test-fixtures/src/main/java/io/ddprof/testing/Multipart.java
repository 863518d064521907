package io.ddprof.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes a {@code multipart/form-data} body (RFC 7578) in the test, independently of the
 * production encoder: finds the boundary in the content type, splits the bytes on
 * delimiter lines and reads each part's headers. Fails loudly on anything malformed.
 */
public final class Multipart {

	private static final Pattern BOUNDARY = Pattern.compile("multipart/form-data;\\s*boundary=\"?([^\";]+)\"?");

	private static final Pattern DISPOSITION = Pattern
		.compile("form-data; name=\"([^\"]*)\"(?:; filename=\"([^\"]*)\")?");

	private Multipart() {
	}

	/** The parts of {@code body}, in order; {@code contentType} carries the boundary. */
	public static List<Part> read(String contentType, byte[] body) {
		Matcher matcher = BOUNDARY.matcher(String.valueOf(contentType));
		if (!matcher.matches()) {
			throw new IllegalArgumentException("not multipart/form-data with a boundary: " + contentType);
		}
		byte[] delimiter = ("--" + matcher.group(1)).getBytes(StandardCharsets.US_ASCII);
		List<Part> parts = new ArrayList<>();
		int at = indexOf(body, delimiter, 0);
		if (at != 0) {
			throw new IllegalArgumentException("body does not start with the boundary");
		}
		while (true) {
			int afterDelimiter = at + delimiter.length;
			if (body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
				int end = afterDelimiter + 2;
				if (!new String(body, end, body.length - end, StandardCharsets.US_ASCII).equals("\r\n")) {
					throw new IllegalArgumentException("unexpected bytes after the closing boundary");
				}
				return parts;
			}
			expectCrlf(body, afterDelimiter);
			int headersStart = afterDelimiter + 2;
			int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), headersStart);
			Map<String, String> headers = new LinkedHashMap<>();
			for (String line : new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8)
				.split("\r\n")) {
				int colon = line.indexOf(':');
				headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
			}
			int contentStart = headersEnd + 4;
			byte[] next = ("\r\n--" + matcher.group(1)).getBytes(StandardCharsets.US_ASCII);
			int contentEnd = indexOf(body, next, contentStart);
			if (contentEnd < 0) {
				throw new IllegalArgumentException("part without a following boundary");
			}
			Matcher disposition = DISPOSITION.matcher(String.valueOf(headers.get("content-disposition")));
			if (!disposition.matches()) {
				throw new IllegalArgumentException("bad Content-Disposition: " + headers.get("content-disposition"));
			}
			parts.add(new Part(disposition.group(1), disposition.group(2), headers.get("content-type"),
					Arrays.copyOfRange(body, contentStart, contentEnd)));
			at = contentEnd + 2;
		}
	}

	private static void expectCrlf(byte[] body, int at) {
		if (body[at] != '\r' || body[at + 1] != '\n') {
			throw new IllegalArgumentException("expected CRLF at " + at);
		}
	}

	private static int indexOf(byte[] data, byte[] pattern, int from) {
		outer: for (int i = from; i <= data.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/** One decoded part. */
	public record Part(String name, String filename, String contentType, byte[] content) {

		/** The content as UTF-8 text. */
		public String text() {
			return new String(this.content, StandardCharsets.UTF_8);
		}

	}

}
