package io.ddprof.export;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback playing an OpenTelemetry Collector or a Pyroscope server: it
 * records every request and answers with the status and body the test sets.
 */
public final class CollectorServer implements AutoCloseable {

	private final HttpServer server;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private volatile int status = 200;

	private volatile byte[] answer = new byte[0];

	private volatile boolean holding;

	private final CountDownLatch released = new CountDownLatch(1);

	private final ExecutorService executor = Executors.newCachedThreadPool();

	/** Starts the server on an ephemeral port. */
	public CollectorServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", (exchange) -> {
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
			this.requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI(), headers, body));
			if (this.holding) {
				try {
					this.released.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			byte[] reply = this.answer;
			exchange.sendResponseHeaders(this.status, (reply.length == 0) ? -1 : reply.length);
			if (reply.length > 0) {
				exchange.getResponseBody().write(reply);
			}
			exchange.close();
		});
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/** Makes every request from now on wait for an answer until the server closes: a backend that hangs. */
	public void hold() {
		this.holding = true;
	}

	/** The server's base URL, such as {@code http://127.0.0.1:40123}. */
	public String url() {
		return "http://" + this.server.getAddress().getAddress().getHostAddress() + ":"
				+ this.server.getAddress().getPort();
	}

	/** Answers every request from now on with {@code status} and {@code body}. */
	public void answer(int status, byte[] body) {
		this.status = status;
		this.answer = body;
	}

	/** The requests received so far. */
	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public void close() {
		this.released.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	/**
	 * One request as received.
	 *
	 * @param method the HTTP method
	 * @param uri the path and query
	 * @param headers the headers, names case-insensitive
	 * @param body the body as sent (still compressed, if it was)
	 */
	public record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
	}

}
