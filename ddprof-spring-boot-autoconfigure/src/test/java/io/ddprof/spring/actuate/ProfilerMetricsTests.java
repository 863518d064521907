package io.ddprof.spring.actuate;

import java.nio.file.Path;

import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.UploadOutcome;
import io.ddprof.testing.IntakeServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link ProfilerMetrics} in a real application whose profiles go to an intake
 * on loopback that answers the first upload with 500 (retried), the second with 413
 * (failed for good) and the rest with 202 (sent).
 */
class ProfilerMetricsTests {

	@TempDir
	Path temp;

	// A server error, then a body too large, then every upload taken: a retry, a failure
	// and sends.
	private final IntakeServer intake = new IntakeServer().answer(500, 413).otherwise(202);

	@AfterEach
	void stopIntake() {
		this.intake.close();
	}

	@Test
	void metersExistUnderTheirNamesAndMoveWithTheProfiler() throws Exception {
		try (ProfiledApplication app = ProfiledApplication.start(this.temp, false, "--ddprof.upload.enabled=true",
				"--ddprof.agent.url=" + this.intake.url())) {
			MeterRegistry registry = app.bean(MeterRegistry.class);
			for (String event : new String[] { "cpu", "wall", "alloc", "live", "lock" }) {
				assertThat(registry.get("ddprof.samples").tag("event", event).functionCounter()).isNotNull();
			}
			for (DropReason reason : DropReason.values()) {
				assertThat(
						registry.get("ddprof.uploads.dropped").tag("reason", reason.value()).functionCounter().count())
					.isZero();
			}
			assertThat(registry.get("ddprof.upload.queue.depth").gauge().value()).isGreaterThanOrEqualTo(0);
			assertThat(registry.get("ddprof.upload.bytes").functionCounter().getId().getBaseUnit()).isEqualTo("bytes");
			assertThat(registry.get("ddprof.cpu.time").functionCounter().getId().getBaseUnit()).isEqualTo("seconds");
			double cpuSamples = count(registry, "ddprof.samples", "event", "cpu");
			double windows = registry.get("ddprof.windows").functionCounter().count();
			app.busy(300);
			app.awaitStatus((status) -> status.upload() != null && status.upload().sent() >= 1
					&& status.upload().failed() >= 1 && status.upload().retried() >= 1);
			assertThat(count(registry, "ddprof.samples", "event", "cpu")).isGreaterThan(cpuSamples);
			assertThat(registry.get("ddprof.windows").functionCounter().count()).isGreaterThan(windows);
			assertThat(registry.get("ddprof.windows.dropped").functionCounter().count()).isZero();
			assertThat(count(registry, "ddprof.uploads", "outcome", UploadOutcome.SENT.value()))
				.isGreaterThanOrEqualTo(1);
			assertThat(count(registry, "ddprof.uploads", "outcome", UploadOutcome.RETRIED.value()))
				.isGreaterThanOrEqualTo(1);
			assertThat(count(registry, "ddprof.uploads", "outcome", UploadOutcome.FAILED.value()))
				.isGreaterThanOrEqualTo(1);
			assertThat(registry.get("ddprof.upload.bytes").functionCounter().count()).isPositive();
			assertThat(registry.get("ddprof.cpu.time").functionCounter().count()).isPositive();
		}
	}

	private static double count(MeterRegistry registry, String name, String tag, String value) {
		FunctionCounter counter = registry.get(name).tag(tag, value).functionCounter();
		return counter.count();
	}

}
