package io.ddprof.spring.web;

import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.ddprof.Profiler;
import io.ddprof.ProfilerStatus;
import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.problem.ProblemLog;
import io.ddprof.spring.autoconfigure.DdprofAutoConfiguration;
import io.ddprof.testing.Multipart;
import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Uploads to a Datadog agent listening on a Unix domain socket (a real HTTP server on
 * Reactor Netty's epoll transport), and ddprof's upload client kept apart from the
 * application's.
 */
class AgentSocketUploadTests {

	private static final Duration HANG_GUARD = Duration.ofSeconds(60);

	@TempDir
	Path temp;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final List<DisposableServer> servers = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, DdprofAutoConfiguration.class))
		.withPropertyValues("ddprof.service=socket-upload", "ddprof.upload.period=1s");

	@AfterEach
	void stopServers() {
		this.servers.forEach(DisposableServer::disposeNow);
	}

	@Test
	void uploadsOverTheAgentsSocketInTheShapeTheyHaveOverTcp() {
		Path socket = this.temp.resolve("apm.socket");
		intake(() -> new DomainSocketAddress(socket.toString()));
		Received overSocket = firstUpload("unix://" + socket, "unix://" + socket);
		DisposableServer tcp = intake(null);
		Received overTcp = firstUpload("http://127.0.0.1:" + tcp.port(),
				"http://127.0.0.1:" + tcp.port() + "/profiling/v1/input");

		// The request line and Host header that dd-trace-java sends over the agent's
		// socket.
		assertThat(overSocket.method()).isEqualTo("POST");
		assertThat(overSocket.uri()).isEqualTo("/profiling/v1/input");
		assertThat(overSocket.headers().get("host")).isEqualTo("localhost");
		assertThat(overSocket.headers().get("dd-evp-origin")).isEqualTo("ddprof");
		assertThat(overSocket.headers().get("content-type")).startsWith("multipart/form-data;boundary=");
		assertThat(overSocket.parts()).containsExactly(
				"Content-Disposition: form-data; name=\"event\"; filename=\"event.json\"",
				"Content-Disposition: form-data; name=\"main\"; filename=\"main.jfr\"");
		JsonNode event = overSocket.event();
		assertThat(event.get("family").asString()).isEqualTo("java");
		assertThat(event.get("tags_profiler").asString().split(",")).contains("service:socket-upload");
		// The same upload as over TCP: the same request line, headers and parts.
		assertThat(overSocket.method()).isEqualTo(overTcp.method());
		assertThat(overSocket.uri()).isEqualTo(overTcp.uri());
		assertThat(overSocket.headers().keySet()).isEqualTo(overTcp.headers().keySet());
		assertThat(overSocket.parts()).isEqualTo(overTcp.parts());
	}

	@Test
	void aMissingSocketIsACountedDropWithAClearLine() {
		Path socket = this.temp.resolve("missing.socket");
		// A queue longer than the windows a retry outlives (three periods), so each
		// window expires before the
		// queue could fill, however slowly this machine spools them.
		this.runner
			.withPropertyValues("ddprof.agent.url=unix://" + socket, "ddprof.temp-directory=" + this.temp,
					"ddprof.upload.queue-size=20")
			.run((context) -> {
				Profiler profiler = context.getBean(Profiler.class);
				UploadStatus upload = awaitUpload(profiler, (status) -> droppedTotal(status) > 0);
				assertThat(upload.dropped()).containsKey(DropReason.EXPIRED.value())
					.doesNotContainKey(DropReason.UNSUPPORTED_URL.value());
				assertThat(upload.retried()).isPositive();
				assertThat(problems(profiler))
					.anySatisfy((line) -> assertThat(line).contains("to the Datadog agent at unix://" + socket)
						.contains("no socket at " + socket));
			});
	}

	@Test
	void aSocketNobodyListensOnIsACountedDropWithAClearLine() throws Exception {
		Path socket = this.temp.resolve("stale.socket");
		// A socket file left by an agent that is gone: connecting to it is refused.
		try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			gone.bind(UnixDomainSocketAddress.of(socket));
		}
		assertThat(socket).exists();
		this.runner
			.withPropertyValues("ddprof.agent.url=unix://" + socket, "ddprof.temp-directory=" + this.temp,
					"ddprof.upload.queue-size=20")
			.run((context) -> {
				Profiler profiler = context.getBean(Profiler.class);
				UploadStatus upload = awaitUpload(profiler, (status) -> droppedTotal(status) > 0);
				assertThat(upload.dropped()).containsKey(DropReason.EXPIRED.value());
				assertThat(problems(profiler)).anySatisfy((line) -> assertThat(line.toLowerCase(Locale.ROOT))
					.contains("to the datadog agent at unix://" + socket)
					.contains("nothing listens on the socket " + socket));
			});
	}

	@Test
	void aSocketRemovedMidRunIsACountedDropWithAClearLine() {
		Path socket = this.temp.resolve("apm.socket");
		DisposableServer agent = intake(() -> new DomainSocketAddress(socket.toString()));
		this.runner.withPropertyValues("ddprof.agent.url=unix://" + socket, "ddprof.temp-directory=" + this.temp)
			.run((context) -> {
				Profiler profiler = context.getBean(Profiler.class);
				long sent = awaitUpload(profiler, (status) -> status.sent() > 0).sent();
				agent.disposeNow();
				Files.deleteIfExists(socket);
				UploadStatus upload = awaitUpload(profiler, (status) -> droppedTotal(status) > 0);
				// Windows of 1 s against a queue of 4: whether retries expire or the
				// queue fills first depends on
				// how long each window takes to spool; either way the window is counted,
				// never thrown.
				assertThat(upload.dropped().keySet()).containsAnyOf(DropReason.EXPIRED.value(),
						DropReason.QUEUE_FULL.value());
				assertThat(upload.sent()).isGreaterThanOrEqualTo(sent);
				assertThat(problems(profiler))
					.anySatisfy((line) -> assertThat(line).contains("no socket at " + socket));
				assertThat(profiler.status().state()).isEqualTo(ProfilerStatus.State.RUNNING);
			});
	}

	@Test
	void theApplicationsWebClientBuildersNeitherFailStartUpNorSeeUploads() {
		DisposableServer tcp = intake(null);
		this.runner.withUserConfiguration(TwoBuilders.class)
			.withPropertyValues("ddprof.agent.url=http://127.0.0.1:" + tcp.port(), "ddprof.temp-directory=" + this.temp)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(WebClientUploadTransport.class);
				Profiler profiler = context.getBean(Profiler.class);
				awaitUpload(profiler, (status) -> status.sent() > 0);
				assertThat(context.getBean(TwoBuilders.class).seen).isEmpty();
				// The application's own builder does see and break its requests: the
				// check above can fail.
				WebClient.Builder builder = context.getBean(WebClient.Builder.class);
				assertThat(builder.build()
					.get()
					.uri("http://127.0.0.1:" + tcp.port() + "/")
					.retrieve()
					.toBodilessEntity()
					.onErrorResume((ex) -> Mono.empty())
					.block()).isNull();
				assertThat(context.getBean(TwoBuilders.class).seen).isNotEmpty();
			});
	}

	private Received firstUpload(String agentUrl, String destination) {
		this.received.clear();
		this.runner.withPropertyValues("ddprof.agent.url=" + agentUrl, "ddprof.temp-directory=" + this.temp)
			.run((context) -> {
				Profiler profiler = context.getBean(Profiler.class);
				UploadStatus upload = awaitUpload(profiler, (status) -> status.sent() > 0);
				assertThat(upload.destination()).isEqualTo(URI.create(destination));
				assertThat(upload.destinationReason()).contains("is set");
			});
		assertThat(this.received).isNotEmpty();
		return this.received.get(0);
	}

	private static UploadStatus awaitUpload(Profiler profiler, java.util.function.Predicate<UploadStatus> condition) {
		return await().atMost(HANG_GUARD).until(() -> profiler.status().upload(), condition::test);
	}

	/** All windows dropped, whatever the reason. */
	private static long droppedTotal(UploadStatus status) {
		return status.dropped().values().stream().mapToLong(Long::longValue).sum();
	}

	private static List<String> problems(Profiler profiler) {
		return profiler.status().problems().stream().map(ProblemLog.Problem::message).toList();
	}

	/**
	 * An intake recording every request: on {@code socket}, or on a TCP port of loopback
	 * when {@code null}.
	 */
	private DisposableServer intake(Supplier<DomainSocketAddress> socket) {
		HttpServer server = (socket != null) ? HttpServer.create().bindAddress(socket)
				: HttpServer.create().host("127.0.0.1").port(0);
		DisposableServer started = server.handle((request, response) -> request.receive()
			.aggregate()
			.asString(StandardCharsets.ISO_8859_1)
			.defaultIfEmpty("")
			.doOnNext((body) -> {
				// Every value of a header repeated, so that a header sent twice shows.
				Map<String, String> headers = new TreeMap<>();
				request.requestHeaders()
					.forEach((header) -> headers.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(),
							(first, second) -> first + ", " + second));
				this.received.add(new Received(request.method().name(), request.uri(), headers, body));
			})
			.then(response.status(202).send().then())).bindNow();
		this.servers.add(started);
		return started;
	}

	private record Received(String method, String uri, Map<String, String> headers, String body) {

		List<String> parts() {
			return this.body.lines().filter((line) -> line.startsWith("Content-Disposition:")).toList();
		}

		/** The event document, the first part, read as JSON. */
		JsonNode event() {
			byte[] bytes = this.body.getBytes(StandardCharsets.ISO_8859_1);
			return JsonMapper.builder()
				.build()
				.readTree(Multipart.read(this.headers.get("content-type"), bytes).get(0).content());
		}

	}

	/**
	 * Two builders, the primary one with a filter that records and breaks every request
	 * it sees.
	 */
	@Configuration(proxyBeanMethods = false)
	static class TwoBuilders {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Bean
		@Primary
		WebClient.Builder recordingBuilder() {
			return WebClient.builder().filter((request, next) -> {
				this.seen.add(request.method() + " " + request.url());
				return Mono.error(new IllegalStateException("this filter breaks every request it sees"));
			});
		}

		@Bean
		WebClient.Builder otherBuilder() {
			return WebClient.builder();
		}

	}

}
