package io.ddprof.spring.web;

import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddprof.Profiler;
import io.ddprof.ProfilerStatus;
import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.problem.ProblemLog;
import io.ddprof.spring.autoconfigure.DdprofAutoConfiguration;
import io.ddprof.testing.IntakeServer;
import io.ddprof.testing.SocketIntakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

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
 * Reactor Netty's epoll transport, {@link SocketIntakeServer}), and ddprof's upload
 * client kept apart from the application's.
 */
class AgentSocketUploadTests {

	private static final Duration HANG_GUARD = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path temp;

	private final List<SocketIntakeServer> servers = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, DdprofAutoConfiguration.class))
		.withPropertyValues("ddprof.service=socket-upload", "ddprof.upload.period=1s");

	@AfterEach
	void stopServers() {
		this.servers.forEach(SocketIntakeServer::close);
	}

	@Test
	void uploadsOverTheAgentsSocketInTheShapeTheyHaveOverTcp() {
		Path socket = this.temp.resolve("apm.socket");
		SocketIntakeServer agent = intake(SocketIntakeServer.onSocket(socket));
		assertThat(agent.url()).isEqualTo("unix://" + socket);
		IntakeServer.Request overSocket = firstUpload(agent, agent.url());
		SocketIntakeServer tcp = intake(SocketIntakeServer.onLoopback());
		IntakeServer.Request overTcp = firstUpload(tcp, tcp.url() + "/profiling/v1/input");

		// The request line and Host header that dd-trace-java sends over the agent's
		// socket.
		assertThat(overSocket.method()).isEqualTo("POST");
		assertThat(overSocket.uri()).hasToString("/profiling/v1/input");
		assertThat(overSocket.headers().get("host")).isEqualTo("localhost");
		assertThat(overSocket.headers().get("dd-evp-origin")).isEqualTo("ddprof");
		assertThat(overSocket.headers().get("content-type")).startsWith("multipart/form-data;boundary=");
		assertThat(dispositions(overSocket)).containsExactly(
				"Content-Disposition: form-data; name=\"event\"; filename=\"event.json\"",
				"Content-Disposition: form-data; name=\"main\"; filename=\"main.jfr\"");
		JsonNode event = JSON.readTree(overSocket.parts().get(0).content());
		assertThat(event.get("family").asString()).isEqualTo("java");
		assertThat(event.get("tags_profiler").asString().split(",")).contains("service:socket-upload");
		// The same upload as over TCP: the same request line, headers and parts.
		assertThat(overSocket.method()).isEqualTo(overTcp.method());
		assertThat(overSocket.uri()).isEqualTo(overTcp.uri());
		assertThat(overSocket.headers().keySet()).isEqualTo(overTcp.headers().keySet());
		assertThat(dispositions(overSocket)).isEqualTo(dispositions(overTcp));
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
		SocketIntakeServer agent = intake(SocketIntakeServer.onSocket(socket));
		this.runner.withPropertyValues("ddprof.agent.url=" + agent.url(), "ddprof.temp-directory=" + this.temp)
			.run((context) -> {
				Profiler profiler = context.getBean(Profiler.class);
				long sent = awaitUpload(profiler, (status) -> status.sent() > 0).sent();
				agent.close();
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
		SocketIntakeServer tcp = intake(SocketIntakeServer.onLoopback());
		this.runner.withUserConfiguration(TwoBuilders.class)
			.withPropertyValues("ddprof.agent.url=" + tcp.url(), "ddprof.temp-directory=" + this.temp)
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
					.uri(tcp.url() + "/")
					.retrieve()
					.toBodilessEntity()
					.onErrorResume((ex) -> Mono.empty())
					.block()).isNull();
				assertThat(context.getBean(TwoBuilders.class).seen).isNotEmpty();
			});
	}

	private IntakeServer.Request firstUpload(SocketIntakeServer agent, String destination) {
		this.runner.withPropertyValues("ddprof.agent.url=" + agent.url(), "ddprof.temp-directory=" + this.temp)
			.run((context) -> {
				Profiler profiler = context.getBean(Profiler.class);
				UploadStatus upload = awaitUpload(profiler, (status) -> status.sent() > 0);
				assertThat(upload.destination()).isEqualTo(URI.create(destination));
				assertThat(upload.destinationReason()).contains("is set");
			});
		assertThat(agent.requests()).isNotEmpty();
		return agent.requests().get(0);
	}

	/** The Content-Disposition lines of the request's parts, as sent. */
	private static List<String> dispositions(IntakeServer.Request request) {
		return request.text().lines().filter((line) -> line.startsWith("Content-Disposition:")).toList();
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

	private SocketIntakeServer intake(SocketIntakeServer server) {
		this.servers.add(server);
		return server;
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
