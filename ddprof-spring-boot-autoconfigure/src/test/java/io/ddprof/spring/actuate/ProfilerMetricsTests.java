package io.ddprof.spring.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.UploadOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link ProfilerMetrics} in a real application whose profiles go to an intake on
 * loopback that answers the first upload with 500 (retried), the second with 413 (failed for
 * good) and the rest with 202 (sent).
 */
class ProfilerMetricsTests {

	@TempDir
	Path temp;

	private final AtomicInteger uploads = new AtomicInteger();

	private HttpServer intake;

	@AfterEach
	void stopIntake() {
		if (this.intake != null) {
			this.intake.stop(0);
		}
	}

	@Test
	void metersExistUnderTheirNamesAndMoveWithTheProfiler() throws Exception {
		startIntake();
		try (ProfiledApplication app = ProfiledApplication.start(this.temp, false, "--ddprof.upload.enabled=true",
				"--ddprof.agent.url=http://127.0.0.1:" + this.intake.getAddress().getPort())) {
			MeterRegistry registry = app.bean(MeterRegistry.class);
			for (String event : new String[] { "cpu", "wall", "alloc", "live", "lock" }) {
				assertThat(registry.get("ddprof.samples").tag("event", event).functionCounter()).isNotNull();
			}
			for (DropReason reason : DropReason.values()) {
				assertThat(registry.get("ddprof.uploads.dropped").tag("reason", reason.value()).functionCounter().count())
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
			assertThat(count(registry, "ddprof.uploads", "outcome", UploadOutcome.SENT.value())).isGreaterThanOrEqualTo(1);
			assertThat(count(registry, "ddprof.uploads", "outcome", UploadOutcome.RETRIED.value())).isGreaterThanOrEqualTo(1);
			assertThat(count(registry, "ddprof.uploads", "outcome", UploadOutcome.FAILED.value())).isGreaterThanOrEqualTo(1);
			assertThat(registry.get("ddprof.upload.bytes").functionCounter().count()).isPositive();
			assertThat(registry.get("ddprof.cpu.time").functionCounter().count()).isPositive();
		}
	}

	private static double count(MeterRegistry registry, String name, String tag, String value) {
		FunctionCounter counter = registry.get(name).tag(tag, value).functionCounter();
		return counter.count();
	}

	private void startIntake() throws IOException {
		this.intake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.intake.createContext("/profiling/v1/input", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				body.readAllBytes();
			}
			int status = switch (this.uploads.incrementAndGet()) {
				case 1 -> 500;
				case 2 -> 413;
				default -> 202;
			};
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		this.intake.start();
	}

}
