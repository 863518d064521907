package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server standing for every backend the profilers send to (a Datadog
 * agent's profile intake and trace endpoints, a Pyroscope server): answers 200 with an
 * empty JSON object to everything, and counts what it received, profile uploads apart.
 * <p>
 * Not the tests' {@code IntakeServer}: that one keeps every request whole for the tests
 * to read, where a run of hours (the peers' traces included) must keep nothing but
 * counts, lest the benchmark's own heap and collections compete with the measured
 * process; and this one answers each protocol in its own type.
 */
final class LocalIntake implements AutoCloseable {

	private static final byte[] ANSWER = "{}".getBytes(StandardCharsets.US_ASCII);

	private final HttpServer server;

	private final ExecutorService executor;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong profileUploads = new AtomicLong();

	private final AtomicLong profileBytes = new AtomicLong();

	LocalIntake() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.executor = Executors.newFixedThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "local-intake");
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** The intake's base URL. */
	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** Counts from zero again (between runs). */
	Counts reset() {
		return new Counts(this.requests.getAndSet(0), this.profileUploads.getAndSet(0), this.profileBytes.getAndSet(0));
	}

	/** Bytes of profile uploads received since the last reset. */
	long profileBytes() {
		return this.profileBytes.get();
	}

	/** Profile uploads received since the last reset. */
	long profileUploads() {
		return this.profileUploads.get();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream body = exchange.getRequestBody()) {
			long bytes = body.transferTo(OutputStream.nullOutputStream());
			this.requests.incrementAndGet();
			String path = exchange.getRequestURI().getPath();
			// Datadog's agent intake, and Pyroscope's.
			if (path.equals("/profiling/v1/input") || path.equals("/ingest")) {
				// Bytes first: whoever sees the upload counted sees its bytes too.
				this.profileBytes.addAndGet(bytes);
				this.profileUploads.incrementAndGet();
			}
			if (path.endsWith("/v1development/profiles") || path.endsWith("/push.v1.PusherService/Push")) {
				// OTLP's and Pyroscope's answers are protobuf messages: empty, all
				// accepted.
				exchange.getResponseHeaders()
					.set("Content-Type", path.endsWith("/profiles") ? "application/x-protobuf" : "application/proto");
				exchange.sendResponseHeaders(200, -1);
				return;
			}
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, ANSWER.length);
			exchange.getResponseBody().write(ANSWER);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	/**
	 * What the intake received.
	 *
	 * @param requests requests of any kind
	 * @param profileUploads profile uploads
	 * @param profileBytes bytes of profile uploads
	 */
	record Counts(long requests, long profileUploads, long profileBytes) {
	}

}
