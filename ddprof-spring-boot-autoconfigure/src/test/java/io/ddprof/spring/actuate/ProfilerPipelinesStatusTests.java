package io.ddprof.spring.actuate;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.UploadOutcome;
import io.ddprof.testing.IntakeServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real application exporting to an OTLP endpoint that takes every window and to a
 * Pyroscope that refuses the credentials: the status endpoint and the meters show each
 * backend's outcomes apart, and never the password.
 */
class ProfilerPipelinesStatusTests {

	private static final String PASSWORD = "glc_not-a-real-password";

	@TempDir
	Path temp;

	private final IntakeServer collector = new IntakeServer();

	private final IntakeServer pyroscope = new IntakeServer().otherwise(401);

	@AfterEach
	void stopServers() {
		this.collector.close();
		this.pyroscope.close();
	}

	@Test
	void statusAndMetersShowEachBackend() throws Exception {
		try (ProfiledApplication app = ProfiledApplication.start(this.temp, false,
				"--ddprof.otlp.endpoint=" + this.collector.url(), "--ddprof.pyroscope.url=" + this.pyroscope.url(),
				"--ddprof.pyroscope.basic-auth.username=123456",
				"--ddprof.pyroscope.basic-auth.password=" + PASSWORD)) {
			app.awaitStatus((status) -> status.pipelines().containsKey("otlp")
					&& status.pipelines().get("otlp").sent() >= 1 && status.pipelines().get("pyroscope").failed() >= 1);
			HttpResponse<byte[]> response = app.get("/actuator/profiler");
			String body = new String(response.body(), StandardCharsets.UTF_8);
			assertThat(body).doesNotContain(PASSWORD);
			JsonNode status = JsonMapper.builder().build().readTree(body);
			assertThat(status.get("exporters")).extracting(JsonNode::asString).contains("otlp", "pyroscope");
			JsonNode otlp = status.get("pipelines").get("otlp");
			assertThat(otlp.get("destination").asString()).endsWith("/v1development/profiles");
			assertThat(otlp.get("sent").asLong()).isPositive();
			JsonNode pyroscope = status.get("pipelines").get("pyroscope");
			assertThat(pyroscope.get("destination").asString()).endsWith("/push.v1.PusherService/Push");
			assertThat(pyroscope.get("failed").asLong()).isPositive();
			assertThat(pyroscope.get("lastDetail").asString()).isEqualTo("HTTP 401");
			MeterRegistry registry = app.bean(MeterRegistry.class);
			assertThat(registry.get("ddprof.uploads")
				.tag("backend", "otlp")
				.tag("outcome", UploadOutcome.SENT.value())
				.functionCounter()
				.count()).isPositive();
			assertThat(registry.get("ddprof.uploads")
				.tag("backend", "pyroscope")
				.tag("outcome", UploadOutcome.FAILED.value())
				.functionCounter()
				.count()).isPositive();
			assertThat(registry.get("ddprof.uploads")
				.tag("backend", "datadog")
				.tag("outcome", UploadOutcome.SENT.value())
				.functionCounter()
				.count()).isZero();
			assertThat(registry.get("ddprof.upload.queue.depth").tag("backend", "otlp").gauge()).isNotNull();
			assertThat(registry.get("ddprof.uploads.dropped")
				.tag("backend", "otlp")
				.tag("reason", DropReason.REJECTED.value())
				.functionCounter()
				.count()).isZero();
		}
	}

}
