package io.ddprof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.testing.IntakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Datadog, OTLP, Pyroscope and the local directory at once, each with its own queue: a
 * backend that hangs holds up none of the others, and status shows each one's outcomes.
 */
class ProfilerPipelinesTests {

	@TempDir
	Path temp;

	private IntakeServer agent;

	private IntakeServer collector;

	private IntakeServer pyroscope;

	@BeforeEach
	void startBackends() throws IOException {
		this.agent = new IntakeServer();
		this.collector = new IntakeServer();
		this.pyroscope = new IntakeServer();
	}

	@AfterEach
	void stopBackends() {
		this.agent.close();
		this.collector.close();
		this.pyroscope.close();
	}

	@Test
	void aHangingBackendDelaysNoOther() throws IOException {
		this.pyroscope.hold();
		Path local = this.temp.resolve("local");
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("pipelines-tests")
			.uploadPeriod(Duration.ofSeconds(1))
			.uploadTimeout(Duration.ofSeconds(5))
			.agentUrl(this.agent.url())
			.otlpEndpoint(this.collector.url())
			.pyroscopeUrl(this.pyroscope.url())
			.localDirectory(local)
			.tempDirectory(this.temp.resolve("tmp"))
			.build());
		profiler.start(false, false);
		try {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.collector.requests().size() >= 3 && this.agent.requests().size() >= 3);
			ProfilerStatus status = profiler.status();
			assertThat(status.exporters()).contains("datadog", "otlp", "pyroscope", "local");
			assertThat(status.pipelines()).containsOnlyKeys("otlp", "pyroscope");
			UploadStatus otlp = status.pipelines().get("otlp");
			assertThat(otlp.sent()).isGreaterThanOrEqualTo(3);
			assertThat(otlp.destination().getPath()).isEqualTo("/v1development/profiles");
			UploadStatus pyroscope = status.pipelines().get("pyroscope");
			assertThat(pyroscope.sent()).isZero();
			assertThat(pyroscope.queueDepth()).isPositive();
			assertThat(this.pyroscope.requests()).hasSize(1);
			assertThat(pyroscope.destinationReason()).contains("ddprof.pyroscope.url");
			// Waiting windows sit in the run's own work directory, beside Datadog's.
			try (Stream<Path> files = Files.walk(this.temp.resolve("tmp"))) {
				assertThat(files.filter((file) -> file.getParent().getFileName().toString().equals("pyroscope"))
					.map((file) -> file.getParent().getParent().getFileName().toString())).isNotEmpty()
					.allMatch((workDirectory) -> workDirectory
						.startsWith("ddprof-" + ProcessHandle.current().pid() + "-"));
			}
			assertThat(status.upload().sent()).isGreaterThanOrEqualTo(3);
			try (Stream<Path> files = Files.list(local)) {
				assertThat(files.count()).isGreaterThanOrEqualTo(3);
			}
		}
		finally {
			profiler.stop(false);
		}
		assertThat(profiler.status().pipelines()).isEmpty();
	}

	@Test
	void aBackendHangingAtShutdownLeavesTheOthersTheirLastWindow() {
		this.collector.hold();
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("pipelines-tests")
			.uploadPeriod(Duration.ofSeconds(1))
			.uploadTimeout(Duration.ofSeconds(3))
			.otlpEndpoint(this.collector.url())
			.otlpTimeout(Duration.ofSeconds(30))
			.pyroscopeUrl(this.pyroscope.url())
			.uploadEnabled(false)
			.tempDirectory(this.temp.resolve("tmp"))
			.build());
		profiler.start(false, false);
		long recorded;
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> this.pyroscope.requests().size() >= 2);
			recorded = profiler.status().windowsRecorded();
		}
		finally {
			// The OTLP export holds its only request until the stop's deadline
			// (ddprof.upload.timeout).
			profiler.stop(true);
		}
		// The window cut at the stop reached Pyroscope although OTLP used up the whole
		// deadline.
		assertThat(this.pyroscope.requests()).hasSizeGreaterThan((int) recorded);
		assertThat(profiler.problems().recent()).noneMatch((problem) -> problem.kind().startsWith("pyroscope."));
		assertThat(profiler.problems().recent())
			.anyMatch((problem) -> problem.kind().equals("otlp.upload.dropped.shutdown"));
	}

}
