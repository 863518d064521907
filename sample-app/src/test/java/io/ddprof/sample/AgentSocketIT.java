package io.ddprof.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample, started with {@code java -jar} and {@code DD_TRACE_AGENT_URL=unix://...}
 * as Kubernetes setups inject it, uploads every window over the agent's Unix domain socket (an
 * HTTP server on Netty's epoll transport stands for the agent), and says so in its status: the
 * native transport is in the jar the starter makes.
 */
class AgentSocketIT {

	// Hang guards only.
	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private final List<String> requests = new CopyOnWriteArrayList<>();

	@TempDir
	Path temp;

	@Test
	void thePackagedSampleUploadsOverTheAgentsSocket() throws Exception {
		Path socket = this.temp.resolve("apm.socket");
		DisposableServer agent = HttpServer.create()
			.bindAddress(() -> new DomainSocketAddress(socket.toString()))
			.handle((request, response) -> request.receive()
				.aggregate()
				.asString(StandardCharsets.ISO_8859_1)
				.doOnNext((body) -> this.requests.add(describe(request, body)))
				.then(response.status(202).send().then()))
			.bindNow();
		Path log = this.temp.resolve("sample.log");
		int port = freePort();
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-jar", sampleJar().toString(), "--server.port=" + port, "--ddprof.upload.period=2s",
				"--ddprof.temp-directory=" + this.temp.resolve("work"));
		builder.environment().keySet().removeIf((name) -> name.startsWith("DD_") || name.startsWith("DDPROF_"));
		builder.environment().put("DD_TRACE_AGENT_URL", "unix://" + socket);
		builder.redirectErrorStream(true).redirectOutput(log.toFile());
		Process app = builder.start();
		JsonNode upload;
		try {
			await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
				assertThat(app.isAlive()).as("the sample exited: %s", Files.readString(log)).isTrue();
				return this.requests.size() >= 2;
			});
			URI status = URI.create("http://127.0.0.1:" + port + "/actuator/profiler");
			upload = JsonMapper.builder().build().readTree(get(status)).get("upload");
		}
		finally {
			app.destroy();
			if (!app.waitFor(60, TimeUnit.SECONDS)) {
				app.destroyForcibly().waitFor();
			}
			agent.disposeNow();
		}

		assertThat(this.requests).allSatisfy((request) -> assertThat(request)
			.isEqualTo("POST /profiling/v1/input Host: localhost event first: true"));
		assertThat(upload.get("destination").asString()).isEqualTo("unix://" + socket);
		assertThat(upload.get("destinationReason").asString()).contains("is set");
		assertThat(upload.get("sent").asLong()).isGreaterThanOrEqualTo(2);
		assertThat(upload.get("dropped").isEmpty()).isTrue();
		assertThat(app.exitValue()).as(Files.readString(log)).isEqualTo(143);
	}

	/** The request line, the Host header and whether the {@code event} part comes before {@code main}. */
	private static String describe(HttpServerRequest request, String body) {
		int event = body.indexOf("name=\"event\"");
		boolean eventFirst = event >= 0 && event < body.indexOf("name=\"main\"");
		return request.method() + " " + request.uri() + " Host: " + request.requestHeaders().get("Host")
				+ " event first: " + eventFirst;
	}

	private static String get(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static Path sampleJar() {
		Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the repackaged sample jar").isRegularFile();
		return jar;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
