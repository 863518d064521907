package io.ddprof;

import java.nio.file.Path;
import java.time.Duration;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.SpanSink;
import io.ddprof.context.SpanTag;
import io.ddprof.export.WindowSummary;
import io.ddprof.format.EndpointTotals;
import io.ddprof.profile.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Status carries the last window's samples and per-endpoint totals, read off the export
 * thread.
 */
class WindowSummaryTests {

	@TempDir
	Path temp;

	@Test
	void lastWindowShowsTheCpuTimeOfEachEndpoint() throws Exception {
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("summary-tests")
			.uploadEnabled(false)
			.uploadPeriod(Duration.ofSeconds(1))
			// A fixed allocation interval: no restart, so windows after the first are cut
			// by dump
			// and carry no sampling settings in their own file.
			.allocInterval(256L * 1024)
			.tempDirectory(this.temp)
			.build());
		profiler.start(false, false);
		try {
			SpanSink sink = profiler.spanSink();
			Thread request = new Thread(() -> {
				long deadline = System.nanoTime() + Duration.ofMillis(2500).toNanos();
				long root = 1;
				while (System.nanoTime() < deadline) {
					sink.threadEntered();
					long start = sink.begin();
					Workloads.cpuSink += burn(Duration.ofMillis(100));
					sink.end(start, SpanTag.scope("0af7651916cd43dd8448eb211c80319c", root, root));
					sink.mark(SpanTag.endpoint(root, "servlet.request", "GET /orders/{id}"));
					sink.threadLeft();
					root++;
				}
			}, "request");
			request.start();
			request.join();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> profiler.status().lastWindow() != null && profiler.status().lastWindow().sequence() >= 2
						&& !profiler.status().lastWindow().endpoints().isEmpty());
			WindowSummary last = profiler.status().lastWindow();
			EndpointTotals orders = last.endpoints().get(0);
			assertThat(orders.endpoint()).isEqualTo("GET /orders/{id}");
			assertThat(orders.cpuSamples()).isPositive();
			// CPU time is samples times the 10 ms interval (varied by a few percent),
			// even in a window
			// whose file holds no settings.
			assertThat(orders.cpuNanos() / orders.cpuSamples()).isBetween(9_000_000L, 11_000_000L);
			assertThat(last.samples()).containsKey(EventType.CPU);
			assertThat(profiler.status().totalSamples().get(EventType.CPU)).isGreaterThanOrEqualTo(orders.cpuSamples());
		}
		finally {
			profiler.stop(false);
		}
	}

	private static long burn(Duration duration) {
		long until = System.nanoTime() + duration.toNanos();
		long x = 3;
		while (System.nanoTime() < until) {
			for (int i = 0; i < 10_000; i++) {
				x = x * 31 + i;
			}
		}
		return x;
	}

}
