package io.ddprof.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback standing for the Datadog agent: keeps every POST to
 * {@code /profiling/v1/input} as it arrived and answers 200, and 404 to anything else.
 */
final class IntakeServer implements AutoCloseable {

	static final String INTAKE_PATH = "/profiling/v1/input";

	private static final Pattern BOUNDARY = Pattern.compile("multipart/form-data;\\s*boundary=\"?([^\";]+)\"?");

	private static final Pattern DISPOSITION = Pattern
		.compile("form-data; name=\"([^\"]*)\"(?:; filename=\"([^\"]*)\")?");

	private final HttpServer server;

	private final ExecutorService executor;

	private final List<Upload> uploads = new CopyOnWriteArrayList<>();

	private final List<String> unexpected = new CopyOnWriteArrayList<>();

	IntakeServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.executor = Executors.newFixedThreadPool(2);
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** The agent URL, as {@code ddprof.agent.url} takes it. */
	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** Every upload received so far, in arrival order. */
	List<Upload> uploads() {
		return List.copyOf(this.uploads);
	}

	/** Requests to anything but a POST to the intake path. */
	List<String> unexpected() {
		return List.copyOf(this.unexpected);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream body = exchange.getRequestBody()) {
			byte[] bytes = body.readAllBytes();
			String path = exchange.getRequestURI().getPath();
			if (!exchange.getRequestMethod().equals("POST") || !path.equals(INTAKE_PATH)) {
				this.unexpected.add(exchange.getRequestMethod() + " " + path);
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			this.uploads.add(new Upload(exchange.getRequestHeaders().getFirst("Content-Type"), bytes));
			exchange.sendResponseHeaders(200, -1);
		}
	}

	/**
	 * One upload as received.
	 * @param contentType the request's {@code Content-Type}
	 * @param body the request body
	 */
	record Upload(String contentType, byte[] body) {

		/** The multipart parts in order, decoded here rather than by the code that encoded them. */
		List<Part> parts() {
			Matcher boundary = BOUNDARY.matcher(String.valueOf(this.contentType));
			if (!boundary.matches()) {
				throw new IllegalStateException("not multipart/form-data with a boundary: " + this.contentType);
			}
			byte[] delimiter = ("--" + boundary.group(1)).getBytes(StandardCharsets.US_ASCII);
			byte[] nextDelimiter = ("\r\n--" + boundary.group(1)).getBytes(StandardCharsets.US_ASCII);
			if (indexOf(this.body, delimiter, 0) != 0) {
				throw new IllegalStateException("body does not start with the boundary");
			}
			List<Part> parts = new ArrayList<>();
			int at = delimiter.length;
			while (!startsWith(this.body, at, "--")) {
				int headersEnd = indexOf(this.body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
				Map<String, String> headers = new LinkedHashMap<>();
				for (String line : new String(this.body, at, headersEnd - at, StandardCharsets.UTF_8).strip()
					.split("\r\n")) {
					int colon = line.indexOf(':');
					headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
				}
				int contentEnd = indexOf(this.body, nextDelimiter, headersEnd + 4);
				if (contentEnd < 0) {
					throw new IllegalStateException("part without a closing boundary");
				}
				Matcher disposition = DISPOSITION.matcher(String.valueOf(headers.get("content-disposition")));
				if (!disposition.matches()) {
					throw new IllegalStateException("bad Content-Disposition: " + headers.get("content-disposition"));
				}
				parts.add(new Part(disposition.group(1), disposition.group(2), headers.get("content-type"),
						Arrays.copyOfRange(this.body, headersEnd + 4, contentEnd)));
				at = contentEnd + nextDelimiter.length;
			}
			return parts;
		}

		private static boolean startsWith(byte[] data, int at, String text) {
			return new String(data, at, Math.min(text.length(), data.length - at), StandardCharsets.US_ASCII)
				.equals(text);
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

	}

	/**
	 * One part of a multipart body.
	 * @param name the form field name
	 * @param filename the file name, or {@code null}
	 * @param contentType the part's {@code Content-Type}
	 * @param content the part's bytes
	 */
	record Part(String name, String filename, String contentType, byte[] content) {

		String text() {
			return new String(this.content, StandardCharsets.UTF_8);
		}

	}

}
