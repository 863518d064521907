package io.ddprof.export.datadog;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.ddprof.export.upload.JdkHttpUploadTransport;
import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadRequest.Bytes;
import io.ddprof.export.upload.UploadRequest.FileBody;
import io.ddprof.export.upload.UploadRequest.Part;
import io.ddprof.testing.IntakeServer;
import io.ddprof.testing.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** {@link JdkHttpUploadTransport} against a real HTTP server on loopback. */
class JdkHttpUploadTransportTests {

	@TempDir
	Path temp;

	private IntakeServer server;

	@BeforeEach
	void start() throws IOException {
		this.server = new IntakeServer();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void sendsTheHeadersAndAMultipartBodyWithAFileStreamedFromDiskAndAKnownLength() throws IOException {
		byte[] large = new byte[16 << 20];
		new Random(42).nextBytes(large);
		Path file = Files.write(this.temp.resolve("main.jfr.zst"), large);
		byte[] event = "{\"family\":\"java\"}".getBytes(StandardCharsets.UTF_8);
		UploadRequest request = new UploadRequest(this.server.uri("/profiling/v1/input"),
				Map.of("DD-EVP-ORIGIN", "ddprof"),
				List.of(new Part(DatadogMultipart.EVENT_PART, DatadogMultipart.EVENT_FILE, "application/json",
						new Bytes(event)),
						new Part(DatadogMultipart.RECORDING_PART, DatadogMultipart.RECORDING_FILE,
								"application/octet-stream", new FileBody(file, large.length))));

		int status = new JdkHttpUploadTransport(Duration.ofSeconds(30)).send(request);

		assertThat(status).isEqualTo(200);
		IntakeServer.Request received = this.server.requests().get(0);
		assertThat(received.headers()).containsEntry("DD-EVP-ORIGIN", "ddprof")
			.containsEntry("Content-Length", Integer.toString(received.body().length))
			.doesNotContainKey("Transfer-Encoding");
		List<Multipart.Part> parts = received.parts();
		assertThat(parts).hasSize(2);
		assertThat(parts.get(0).content()).isEqualTo(event);
		assertThat(parts.get(1).content()).isEqualTo(large);
		assertThat(parts.get(1).contentType()).isEqualTo("application/octet-stream");
	}

	@Test
	void returnsTheStatusOfAnAnswerThatIsNotASuccess() throws IOException {
		this.server.answer(503);
		assertThat(new JdkHttpUploadTransport(Duration.ofSeconds(30)).send(smallRequest())).isEqualTo(503);
	}

	@Test
	void failsWithATimeoutWhenTheServerNeverAnswers() {
		this.server.answer(IntakeServer.HANG);
		JdkHttpUploadTransport transport = new JdkHttpUploadTransport(Duration.ofMillis(200));

		assertThatExceptionOfType(HttpTimeoutException.class).isThrownBy(() -> transport.send(smallRequest()));
	}

	@Test
	void anInterruptedSendFailsWithInterruptedIOExceptionAndKeepsTheInterruptFlag() throws Exception {
		this.server.answer(IntakeServer.HANG);
		JdkHttpUploadTransport transport = new JdkHttpUploadTransport(Duration.ofMinutes(1));
		CompletableFuture<Throwable> failure = new CompletableFuture<>();
		Thread sender = new Thread(() -> {
			try {
				transport.send(smallRequest());
				failure.complete(null);
			}
			catch (IOException ex) {
				failure
					.complete((Thread.currentThread().isInterrupted()) ? ex : new AssertionError("flag cleared", ex));
			}
		});
		sender.start();
		await().atMost(20, TimeUnit.SECONDS).until(() -> this.server.requests().size() == 1);
		sender.interrupt();

		assertThat(failure.get(20, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
	}

	@Test
	void supportsHttpAndHttpsButNotUnixSockets() {
		JdkHttpUploadTransport transport = new JdkHttpUploadTransport(Duration.ofSeconds(1));
		assertThat(transport.supports(URI.create("http://localhost:8126/profiling/v1/input"))).isTrue();
		assertThat(transport.supports(URI.create("https://intake.profile.datadoghq.com/api/v2/profile"))).isTrue();
		assertThat(transport.supports(URI.create("unix:///var/run/datadog/apm.socket"))).isFalse();
	}

	private UploadRequest smallRequest() {
		return new UploadRequest(this.server.uri("/profiling/v1/input"), Map.of(),
				List.of(new Part(DatadogMultipart.EVENT_PART, DatadogMultipart.EVENT_FILE, "application/json",
						new Bytes("{}".getBytes()))));
	}

}
