package io.ddprof.export.datadog;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback playing the Datadog agent: it records every request it reads
 * and answers with the statuses it is told, in order (200 once those run out), or never answers.
 */
final class IntakeServer implements AutoCloseable {

	/** A scripted answer that holds the request until the server closes. */
	static final int HANG = -1;

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final BlockingQueue<Integer> answers = new ArrayBlockingQueue<>(100);

	private final CountDownLatch closed = new CountDownLatch(1);

	IntakeServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "intake-server");
			thread.setDaemon(true);
			return thread;
		}));
		this.server.start();
	}

	/** Answers the next requests with these statuses (or {@link #HANG}). */
	IntakeServer answer(int... statuses) {
		for (int status : statuses) {
			this.answers.add(status);
		}
		return this;
	}

	/** The agent base URL, as {@code ddprof.agent.url} takes it. */
	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** The address of the agentless-style path on this server. */
	URI uri(String path) {
		return URI.create(url() + path);
	}

	/** Every request read so far, in arrival order. */
	List<Received> received() {
		return new ArrayList<>(this.received);
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream body = exchange.getRequestBody()) {
			Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
			byte[] bytes = body.readAllBytes();
			Integer status = this.answers.poll();
			int answer = (status != null) ? status : 200;
			this.received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
					bytes, answer));
			if (answer == HANG) {
				this.closed.await(1, TimeUnit.MINUTES);
				return;
			}
			exchange.sendResponseHeaders(answer, -1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** One request as the server read it, and the status it was answered with. */
	record Received(String method, String path, Map<String, String> headers, byte[] body, int answeredWith) {

		/** The parts of the multipart body, decoded by the test's own reader. */
		List<MultipartReader.Part> parts() {
			return MultipartReader.read(this.headers.get("Content-Type"), this.body);
		}

	}

}
