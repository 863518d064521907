package io.ddprof.spring.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddprof.Profiler;
import io.ddprof.export.datadog.DatadogMultipart;
import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.spring.autoconfigure.DdprofAutoConfiguration;
import io.ddprof.testing.IntakeServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Uploads through the application's {@code WebClient}, to a real HTTP server on loopback.
 */
class WebClientUploadTransportTests {

	@TempDir
	Path temp;

	private final IntakeServer intake = new IntakeServer().otherwise(202);

	@AfterEach
	void stopIntake() {
		this.intake.close();
	}

	@Test
	void autoConfiguredProfilerUploadsEachWindowThroughWebClient() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, DdprofAutoConfiguration.class))
			.withPropertyValues("ddprof.service=webclient-upload", "ddprof.upload.period=1s",
					"ddprof.agent.url=" + agentUrl(), "ddprof.temp-directory=" + this.temp)
			.run((context) -> {
				assertThat(context).hasSingleBean(WebClientUploadTransport.class);
				Profiler profiler = context.getBean(Profiler.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> profiler.status().upload().sent() > 0);
				assertThat(this.intake.requests()).isNotEmpty();
			});
		IntakeServer.Request upload = this.intake.requests().get(0);
		// Reactor Netty's client, not the JDK's, made the request.
		assertThat(upload.headers().get("User-Agent")).startsWith("ReactorNetty");
		assertThat(upload.headers().get("Content-Type")).startsWith("multipart/form-data;boundary=");
		assertThat(upload.headers().get("DD-EVP-ORIGIN")).isEqualTo("ddprof");
		assertThat(upload.headers().get("Datadog-Meta-Lang")).isEqualTo("java");
		String body = upload.text();
		int event = body.indexOf("Content-Disposition: form-data; name=\"event\"; filename=\"event.json\"");
		int main = body.indexOf("Content-Disposition: form-data; name=\"main\"; filename=\"main.jfr\"");
		assertThat(event).isNotNegative();
		assertThat(main).isGreaterThan(event);
		assertThat(body.substring(event, main)).contains("Content-Type: application/json");
		JsonNode eventJson = JsonMapper.builder().build().readTree(upload.parts().get(0).content());
		assertThat(eventJson.get("family").asString()).isEqualTo("java");
		assertThat(eventJson.get("tags_profiler").asString().split(",")).contains("service:webclient-upload");
		assertThat(body.substring(main)).contains("Content-Type: application/octet-stream");
	}

	@Test
	void uploadIsNotObservedWhileTheSameBuilderIsOtherwise() throws Exception {
		List<String> observed = new CopyOnWriteArrayList<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public void onStart(Observation.Context context) {
				observed.add(context.getName());
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}
		});
		WebClient.Builder builder = WebClient.builder().observationRegistry(registry);
		new WebClientUploadTransport(builder, Duration.ofSeconds(10)).send(request());
		assertThat(this.intake.requests()).hasSize(1);
		assertThat(observed).isEmpty();
		// The same builder, used by the application, is observed: the check above can
		// fail.
		builder.build().get().uri(agentUrl() + "/profiling/v1/input").retrieve().toBodilessEntity().block();
		assertThat(observed).contains("http.client.requests");
	}

	@Test
	void singleBodyIsSentAsItIsAndTheAnswerIsRead() throws IOException {
		this.intake.otherwise(200, "partial".getBytes(StandardCharsets.UTF_8));
		Path file = Files.write(this.temp.resolve("window.pb"), new byte[] { 10, 2, 8, 1 });
		UploadRequest request = UploadRequest.single(URI.create(agentUrl() + "/v1development/profiles"),
				Map.of("api-key", "abc"), "application/x-protobuf", new UploadRequest.FileBody(file, 4));
		UploadTransport.Answer answer = new WebClientUploadTransport(WebClient.builder(), Duration.ofSeconds(10))
			.exchange(request);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("partial");
		IntakeServer.Request received = this.intake.requests().get(0);
		assertThat(received.headers().get("Content-Type")).isEqualTo("application/x-protobuf");
		assertThat(received.headers().get("api-key")).isEqualTo("abc");
		assertThat(received.body()).containsExactly(10, 2, 8, 1);
	}

	@Test
	void serverThatNeverAnswersTimesOut() {
		this.intake.hold();
		UploadTransport transport = new WebClientUploadTransport(WebClient.builder(), Duration.ofMillis(300));
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> transport.send(request()))
			.withMessageContaining("no answer")
			.withMessageContaining("300 ms");
	}

	@Test
	void refusedConnectionIsAnIOException() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		UploadTransport transport = new WebClientUploadTransport(WebClient.builder(), Duration.ofSeconds(5));
		UploadRequest request = new UploadRequest(URI.create("http://127.0.0.1:" + closedPort + "/profiling/v1/input"),
				Map.of(), request().parts());
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> transport.send(request));
		// The agent's Unix socket is reached with Netty's native epoll transport (see
		// AgentSocketUploadTests).
		assertThat(transport.supports(URI.create("unix:///var/run/datadog/apm.socket"))).isTrue();
		assertThat(transport.supports(URI.create("ftp://agent.internal/"))).isFalse();
	}

	private UploadRequest request() throws IOException {
		Path file = Files.write(this.temp.resolve("main.jfr.zst"), new byte[] { 1, 2, 3 });
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("DD-EVP-ORIGIN", "ddprof");
		return new UploadRequest(URI.create(agentUrl() + "/profiling/v1/input"), headers,
				List.of(new UploadRequest.Part(DatadogMultipart.EVENT_PART, DatadogMultipart.EVENT_FILE,
						"application/json", new UploadRequest.Bytes("{}".getBytes(StandardCharsets.UTF_8))),
						new UploadRequest.Part(DatadogMultipart.RECORDING_PART, DatadogMultipart.RECORDING_FILE,
								"application/octet-stream", new UploadRequest.FileBody(file, 3))));
	}

	private String agentUrl() {
		return this.intake.url();
	}

}
