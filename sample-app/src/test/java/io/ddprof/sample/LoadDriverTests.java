package io.ddprof.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The load driver reaches every endpoint and counts what fails, against a real loopback server. */
class LoadDriverTests {

	private final Set<String> queries = ConcurrentHashMap.newKeySet();

	private HttpServer server;

	private ExecutorService executor;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.executor = Executors.newFixedThreadPool(4);
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::answer);
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	@Test
	void drivesEveryEndpointAndCountsFailuresPerEndpoint() throws InterruptedException {
		URI base = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
		LoadDriver.Report report = new LoadDriver(base, Duration.ofSeconds(1), 3).run();
		for (String endpoint : new String[] { "/cpu", "/alloc", "/leak", "/lock", "/chain" }) {
			assertThat(report.endpoint(endpoint).requests()).as(report.format()).isPositive();
			assertThat(report.endpoint(endpoint).errors()).as(report.format()).isZero();
		}
		LoadDriver.EndpointReport io = report.endpoint("/io");
		assertThat(io.requests()).isPositive();
		assertThat(io.errors()).isEqualTo(io.requests());
		assertThat(io.firstError()).contains("HTTP 503");
		assertThat(report.format()).contains("/io").contains("first error: java.io.IOException: HTTP 503");
		assertThat(this.queries).contains("millis=50", "mb=32");
	}

	private void answer(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (exchange.getRequestURI().getQuery() != null) {
				this.queries.add(exchange.getRequestURI().getQuery());
			}
			boolean failing = exchange.getRequestURI().getPath().equals("/io");
			exchange.sendResponseHeaders(failing ? 503 : 200, -1);
		}
	}

}
