package io.ddprof.export.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * One profile upload as every transport sends it: a {@code POST} to {@code uri} with
 * these headers and either these parts as {@code multipart/form-data}, in order
 * (Datadog), or one {@code body} of {@code contentType} (OTLP, Pyroscope); over the
 * agent's Unix domain {@code socket} when there is one (the URI's host then only fills
 * the {@code Host} header). The multipart boundary and its {@code Content-Type} header
 * belong to the transport's encoding and are not part of the request. {@link #toString()}
 * never shows a credential header.
 *
 * @param uri where the request goes
 * @param headers request headers in the order they are sent (may hold credentials)
 * @param parts the form parts, in order; empty for a single-body request
 * @param body the whole body of a single-body request, or {@code null} for a multipart
 * one
 * @param contentType the media type of {@code body}, or {@code null} for a multipart
 * request
 * @param socket the Unix domain socket to connect to instead of the URI's host, or
 * {@code null}
 */
public record UploadRequest(URI uri, Map<String, String> headers, List<Part> parts, @Nullable Body body,
		@Nullable String contentType, @Nullable Path socket) {

	/** Name of the header carrying the API key in agentless mode. */
	public static final String API_KEY_HEADER = "DD-API-KEY";

	private static final Set<String> SECRET_HEADERS = Set.of(API_KEY_HEADER.toLowerCase(Locale.ROOT), "authorization");

	/** Keeps the headers' order and makes headers and parts unmodifiable. */
	public UploadRequest {
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
		parts = List.copyOf(parts);
		if ((body == null) == parts.isEmpty() || (body == null) != (contentType == null)) {
			throw new IllegalArgumentException("expected either form parts, or one body with its content type");
		}
	}

	/**
	 * A {@code multipart/form-data} request of these parts, over TCP to the URI's host.
	 */
	public UploadRequest(URI uri, Map<String, String> headers, List<Part> parts) {
		this(uri, headers, parts, null);
	}

	/**
	 * A {@code multipart/form-data} request of these parts, over {@code socket} when it
	 * is not {@code null}.
	 */
	public UploadRequest(URI uri, Map<String, String> headers, List<Part> parts, @Nullable Path socket) {
		this(uri, headers, parts, null, null, socket);
	}

	/**
	 * A request whose whole body is {@code body}, sent with
	 * {@code Content-Type: contentType}, over TCP.
	 */
	public static UploadRequest single(URI uri, Map<String, String> headers, String contentType, Body body) {
		return new UploadRequest(uri, headers, List.of(), body, contentType, null);
	}

	/**
	 * Whether the request is {@code multipart/form-data} (else it is one body of
	 * {@link #contentType()}).
	 */
	public boolean multipart() {
		return this.body == null;
	}

	@Override
	public String toString() {
		String shownHeaders = this.headers.entrySet()
			.stream()
			.map((header) -> header.getKey() + "="
					+ (SECRET_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT)) ? "<redacted>"
							: header.getValue()))
			.collect(Collectors.joining(", ", "{", "}"));
		return "UploadRequest[uri=" + this.uri + ((this.socket != null) ? ", socket=" + this.socket : "") + ", headers="
				+ shownHeaders
				+ (multipart() ? ", parts=" + this.parts : ", contentType=" + this.contentType + ", body=" + this.body)
				+ "]";
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
	 * The content of a part: a few bytes on the heap, or a file streamed from disk so
	 * that a large window is never copied onto the heap.
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
