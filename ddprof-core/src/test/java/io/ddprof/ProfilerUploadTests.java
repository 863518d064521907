package io.ddprof;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.UploadStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The profiler uploads every window to the agent, the last one as {@code snapshot:on_shutdown}. */
class ProfilerUploadTests {

	@TempDir
	Path temp;

	private HttpServer agent;

	private final List<String> bodies = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startAgent() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.agent.createContext("/profiling/v1/input", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				this.bodies.add(new String(body.readAllBytes(), StandardCharsets.ISO_8859_1));
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.agent.start();
	}

	@AfterEach
	void stopAgent() {
		this.agent.stop(0);
	}

	@Test
	void everyWindowReachesTheAgentAndStatusCountsThem() {
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("upload-tests")
			.uploadPeriod(Duration.ofSeconds(1))
			.agentUrl("http://127.0.0.1:" + this.agent.getAddress().getPort())
			.tempDirectory(this.temp)
			.build());
		profiler.start(false, false);
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.bodies.size() >= 2);
			// The agent holds a body before it answers, and the upload counts as sent once answered.
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(profiler.status().upload().sent()).isGreaterThanOrEqualTo(2));
			assertThat(profiler.status().exporters()).contains("datadog");
		}
		finally {
			profiler.stop(true);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.bodies.stream().anyMatch((b) -> b.contains("snapshot:on_shutdown")));
		assertThat(this.bodies).allMatch((body) -> body.contains("service:upload-tests"));
		assertThat(this.bodies.stream().filter((b) -> b.contains("snapshot:periodic")).count()).isGreaterThanOrEqualTo(2);
	}

}
