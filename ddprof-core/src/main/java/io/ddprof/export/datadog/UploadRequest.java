package io.ddprof.export.datadog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One profile upload as every transport sends it: a {@code POST} of {@code multipart/form-data}
 * to {@code uri} with these headers and these parts, in order; over the agent's Unix domain
 * {@code socket} when there is one (the URI's host then only fills the {@code Host} header). The multipart boundary and the
 * {@code Content-Type} header belong to the transport's encoding and are not part of the request.
 * {@link #toString()} never shows the API key.
 *
 * @param uri where the request goes
 * @param headers request headers in the order they are sent (may hold {@code DD-API-KEY})
 * @param parts the form parts, in order
 * @param socket the Unix domain socket to connect to instead of the URI's host, or {@code null}
 */
public record UploadRequest(URI uri, Map<String, String> headers, List<Part> parts, Path socket) {

	/** Name of the header carrying the API key in agentless mode. */
	public static final String API_KEY_HEADER = "DD-API-KEY";

	/** Keeps the headers' order and makes headers and parts unmodifiable. */
	public UploadRequest {
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
		parts = List.copyOf(parts);
	}

	/** A request over TCP to the URI's host. */
	public UploadRequest(URI uri, Map<String, String> headers, List<Part> parts) {
		this(uri, headers, parts, null);
	}

	/** The sum of the parts' body lengths in bytes. */
	public long bodyLength() {
		return this.parts.stream().mapToLong((part) -> part.body().length()).sum();
	}

	@Override
	public String toString() {
		String shownHeaders = this.headers.entrySet()
			.stream()
			.map((header) -> header.getKey() + "="
					+ (API_KEY_HEADER.equalsIgnoreCase(header.getKey()) ? "<redacted>" : header.getValue()))
			.collect(Collectors.joining(", ", "{", "}"));
		return "UploadRequest[uri=" + this.uri + ((this.socket != null) ? ", socket=" + this.socket : "") + ", headers=" + shownHeaders + ", parts=" + this.parts + "]";
	}

	/**
	 * One form part.
	 *
	 * @param name the form field name, such as {@code event} or {@code main}
	 * @param filename the file name announced in {@code Content-Disposition}
	 * @param contentType the part's media type
	 * @param body the part's content
	 */
	public record Part(String name, String filename, String contentType, Body body) {
	}

	/**
	 * The content of a part: a few bytes on the heap, or a file streamed from disk so that a
	 * large window is never copied onto the heap.
	 */
	public sealed interface Body permits Bytes, FileBody {

		/** The length in bytes. */
		long length();

		/** Opens the content for reading from its first byte; each call starts again. */
		InputStream open() throws IOException;

	}

	/**
	 * A small body held in memory (the {@code event.json}).
	 *
	 * @param data the bytes, not copied: do not change them
	 */
	public record Bytes(byte[] data) implements Body {

		@Override
		public long length() {
			return this.data.length;
		}

		@Override
		public InputStream open() {
			return new ByteArrayInputStream(this.data);
		}

		@Override
		public String toString() {
			return "Bytes[" + this.data.length + " bytes]";
		}

	}

	/**
	 * A body read from a file (the compressed JFR waiting in the upload queue).
	 *
	 * @param path the file
	 * @param length its size in bytes when the request was built
	 */
	public record FileBody(Path path, long length) implements Body {

		@Override
		public InputStream open() throws IOException {
			return Files.newInputStream(this.path);
		}

	}

}
