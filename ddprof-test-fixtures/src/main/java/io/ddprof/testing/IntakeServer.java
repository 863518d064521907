package io.ddprof.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback standing for whatever ddprof sends to: a Datadog agent
 * or intake, an OpenTelemetry Collector, a Pyroscope server. It reads and keeps every
 * request whole, whatever its path, and answers the statuses it is told for the next
 * requests, in order; once those run out, what {@link #otherwise} set (200 with no body
 * unless told), or never ({@link #HANG}).
 */
public final class IntakeServer implements AutoCloseable {

	/** An answer that holds the request until the server closes: a backend that hangs. */
	public static final int HANG = -1;

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "intake-server");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final BlockingQueue<Integer> next = new LinkedBlockingQueue<>();

	private volatile ToIntFunction<Request> otherwise = (request) -> 200;

	private volatile byte[] answerBody = new byte[0];

	private final CountDownLatch closed = new CountDownLatch(1);

	/** Starts the server on an ephemeral loopback port. */
	public IntakeServer() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot listen on loopback", ex);
		}
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/** Answers the next requests with these statuses (or {@link #HANG}), in order. */
	public IntakeServer answer(int... statuses) {
		for (int status : statuses) {
			this.next.add(status);
		}
		return this;
	}

	/**
	 * Answers every request after the scripted ones with {@code status} (or
	 * {@link #HANG}) and no body.
	 */
	public IntakeServer otherwise(int status) {
		return otherwise(status, new byte[0]);
	}

	/**
	 * Answers every request after the scripted ones with {@code status} and {@code body}.
	 */
	public IntakeServer otherwise(int status, byte[] body) {
		this.answerBody = body.clone();
		return otherwise((request) -> status);
	}

	/**
	 * Answers every request after the scripted ones with the status {@code status}
	 * chooses for it.
	 */
	public IntakeServer otherwise(ToIntFunction<Request> status) {
		this.otherwise = status;
		return this;
	}

	/** Holds every request from now on until the server closes: a backend that hangs. */
	public IntakeServer hold() {
		return otherwise(HANG);
	}

	/**
	 * The base URL, such as {@code http://127.0.0.1:40123}, as {@code ddprof.agent.url}
	 * takes it.
	 */
	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** The address of {@code path} on this server. */
	public URI uri(String path) {
		return URI.create(url() + path);
	}

	/** Every request read so far, in arrival order. */
	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	/** The requests read so far to {@code path}, in arrival order. */
	public List<Request> requests(String path) {
		return this.requests.stream().filter((request) -> request.path().equals(path)).toList();
	}

	/** Stops listening and lets every held request go unanswered. */
	@Override
	public void close() {
		this.closed.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
			byte[] body = in.readAllBytes();
			Request read = new Request(exchange.getRequestMethod(), exchange.getRequestURI(), headers, body, 0);
			Integer scripted = this.next.poll();
			int status = (scripted != null) ? scripted : this.otherwise.applyAsInt(read);
			this.requests.add(new Request(read.method(), read.uri(), headers, body, status));
			if (status == HANG) {
				this.closed.await(1, TimeUnit.MINUTES);
				return;
			}
			byte[] answer = (scripted != null) ? new byte[0] : this.answerBody;
			exchange.sendResponseHeaders(status, (answer.length == 0) ? -1 : answer.length);
			if (answer.length > 0) {
				exchange.getResponseBody().write(answer);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One request as the server read it.
	 *
	 * @param method the HTTP method
	 * @param uri the path and query
	 * @param headers the headers, names case-insensitive, repeated values joined with
	 * commas
	 * @param body the body as sent (still compressed, if it was)
	 * @param answeredWith the status it was answered with, or {@link #HANG}
	 */
	public record Request(String method, URI uri, Map<String, String> headers, byte[] body, int answeredWith) {

		/** The path, without the query. */
		public String path() {
			return this.uri.getPath();
		}

		/**
		 * The body as ISO-8859-1 text: every byte one character, binary parts included.
		 */
		public String text() {
			return new String(this.body, StandardCharsets.ISO_8859_1);
		}

		/**
		 * The parts of a {@code multipart/form-data} body, decoded by {@link Multipart}.
		 */
		public List<Multipart.Part> parts() {
			return Multipart.read(this.headers.get("Content-Type"), this.body);
		}

	}

}
