package io.ddprof.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.channel.unix.DomainSocketAddress;
import org.reactivestreams.Publisher;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A Datadog agent listening on a Unix domain socket, as container setups mount it: a real
 * HTTP server on Reactor Netty's epoll transport, since the JDK's HTTP server cannot bind
 * a socket file. Like {@link IntakeServer} it keeps every request whole, as an
 * {@link IntakeServer.Request}, and answers each 202, as the agent does. The same server
 * on a loopback port ({@link #onLoopback}) shows what the same client sends over TCP.
 */
public final class SocketIntakeServer implements AutoCloseable {

	/** The status every request is answered with: the agent's. */
	public static final int ANSWER = 202;

	private final DisposableServer server;

	private final String url;

	private final List<IntakeServer.Request> requests = new CopyOnWriteArrayList<>();

	// The socket, or null on loopback.
	private SocketIntakeServer(HttpServer server, Path socket) {
		this.server = server.handle(this::handle).bindNow();
		this.url = (socket != null) ? "unix://" + socket : "http://127.0.0.1:" + this.server.port();
	}

	/** Starts the server on the Unix domain socket {@code socket}, a file it creates. */
	public static SocketIntakeServer onSocket(Path socket) {
		return new SocketIntakeServer(HttpServer.create().bindAddress(() -> new DomainSocketAddress(socket.toString())),
				socket);
	}

	/** Starts the same server on an ephemeral loopback port. */
	public static SocketIntakeServer onLoopback() {
		return new SocketIntakeServer(HttpServer.create().host("127.0.0.1").port(0), null);
	}

	/**
	 * The address as {@code ddprof.agent.url} takes it: {@code unix:///path/to/socket},
	 * or {@code http://127.0.0.1:40123} on loopback.
	 */
	public String url() {
		return this.url;
	}

	/** Every request read so far, in arrival order. */
	public List<IntakeServer.Request> requests() {
		return List.copyOf(this.requests);
	}

	/** The requests read so far to {@code path}, in arrival order. */
	public List<IntakeServer.Request> requests(String path) {
		return this.requests.stream().filter((request) -> request.path().equals(path)).toList();
	}

	/**
	 * Stops listening, as an agent that goes away; the requests read so far stay. The
	 * socket file may stay behind, as a crashed agent's does.
	 */
	@Override
	public void close() {
		if (!this.server.isDisposed()) {
			this.server.disposeNow();
		}
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).doOnNext((body) -> {
			// Names case-insensitive and repeated values joined, as IntakeServer keeps
			// them, so that a header sent twice shows.
			Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			request.requestHeaders()
				.forEach((header) -> headers.merge(header.getKey(), header.getValue(),
						(first, second) -> first + "," + second));
			this.requests.add(new IntakeServer.Request(request.method().name(), URI.create(request.uri()), headers,
					body, ANSWER));
		}).then(response.status(ANSWER).send().then());
	}

}
