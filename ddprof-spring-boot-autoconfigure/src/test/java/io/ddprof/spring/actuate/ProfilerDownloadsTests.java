package io.ddprof.spring.actuate;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.ddprof.Profiler;
import io.ddprof.testing.IntakeServer;
import io.ddprof.window.RecordedWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Downloads and the endpoint's access: a download reads the current window without
 * cutting it, so it disturbs neither the windows nor the exporters; writes are off unless
 * granted.
 */
class ProfilerDownloadsTests {

	@TempDir
	Path temp;

	private final IntakeServer intake = new IntakeServer().otherwise(202);

	@AfterEach
	void stopIntake() {
		this.intake.close();
	}

	@Test
	void fiftyDownloadsInARowLeaveTheWindowsTheUploadsAndTheLocalFilesAsTheyWere() throws Exception {
		Path local = this.temp.resolve("local");
		// Windows an hour long: after the first (cut a few seconds after start), every
		// window in
		// this test is one the test cut itself.
		try (ProfiledApplication app = ProfiledApplication.start(this.temp, false, "--ddprof.upload.enabled=true",
				"--ddprof.upload.period=1h", "--ddprof.local.directory=" + local,
				"--ddprof.agent.url=" + this.intake.url())) {
			Profiler profiler = app.profiler();
			app.awaitStatus((status) -> status.windowsRecorded() == 1 && status.upload().sent() == 1
					&& status.upload().queueDepth() == 0);
			for (int i = 0; i < 2; i++) {
				app.busy(200);
				assertThat(profiler.cutWindow().get(30, TimeUnit.SECONDS)).isNotNull();
			}
			app.awaitStatus((status) -> status.upload().sent() == 3 && status.upload().queueDepth() == 0);
			app.busy(200);
			List<Window> windows = windows(profiler);
			List<Path> files = files(local);
			long recorded = profiler.status().windowsRecorded();
			Instant currentStart = profiler.status().currentWindowStart();
			assertThat(windows).hasSize(3);
			assertThat(files).hasSize(3);
			// Status says where uploads go and why.
			assertThat(JsonMapper.builder()
				.build()
				.readTree(app.get("/actuator/profiler").body())
				.get("upload")
				.get("destinationReason")
				.asString()).isEqualTo("ddprof.agent.url (or DD_TRACE_AGENT_URL, DD_AGENT_HOST) is set");

			for (int i = 0; i < 50; i++) {
				String format = (i % 2 == 0) ? "jfr" : "collapsed";
				HttpResponse<byte[]> download = app.get("/actuator/profiler/" + format + "?seconds=3600");
				assertThat(download.statusCode()).isEqualTo(200);
				assertThat(download.body()).isNotEmpty();
			}
			// What a download exported, were it exported, would be uploaded within this
			// time.
			Thread.sleep(1000);

			assertThat(windows(profiler)).isEqualTo(windows);
			assertThat(profiler.status().windowsRecorded()).isEqualTo(recorded);
			assertThat(profiler.status().currentWindowStart()).isEqualTo(currentStart);
			assertThat(profiler.status().upload().sent()).isEqualTo(3);
			assertThat(profiler.status().upload().queueDepth()).isZero();
			assertThat(this.intake.requests("/profiling/v1/input")).hasSize(3);
			assertThat(files(local)).isEqualTo(files);
			// The current window, copied 50 times, still holds everything it recorded:
			// the next
			// cut exports it whole, from where it began.
			RecordedWindow next = profiler.cutWindow().get(30, TimeUnit.SECONDS);
			assertThat(next.start()).isEqualTo(currentStart);
			assertThat(next.sequence()).isEqualTo(windows.get(2).sequence() + 1);
		}
	}

	@Test
	void downloadsIncludeTheCurrentWindowUpToNow() throws Exception {
		try (ProfiledApplication app = ProfiledApplication.start(this.temp, false, "--ddprof.upload.period=1h")) {
			// The first window is cut a few seconds after start; the next not for an
			// hour.
			app.awaitStatus((status) -> status.windowsRecorded() == 1);
			app.busy(300);
			HttpResponse<byte[]> collapsed = app.get("/actuator/profiler/collapsed");
			assertThat(collapsed.statusCode()).isEqualTo(200);
			assertThat(new String(collapsed.body())).contains(BusyController.HOT_METHOD);
			assertThat(app.profiler().status().windowsRecorded()).isOne();
		}
	}

	@Test
	void cutStopAndStartAreOffUnlessGranted() throws Exception {
		try (ProfiledApplication app = ProfiledApplication.start(this.temp, false)) {
			app.awaitStatus((status) -> status.windowsRecorded() >= 1);
			for (String action : new String[] { "cut", "stop", "start" }) {
				HttpResponse<byte[]> response = app.post("/actuator/profiler", "{\"action\": \"" + action + "\"}");
				assertThat(response.statusCode()).as(action).isEqualTo(405);
			}
			assertThat(app.profiler().isRunning()).isTrue();
			assertThat(app.get("/actuator/profiler").statusCode()).isEqualTo(200);
			assertThat(app.get("/actuator/profiler/collapsed").statusCode()).isEqualTo(200);
		}
		try (ProfiledApplication app = ProfiledApplication.start(this.temp, false,
				"--management.endpoint.profiler.access=unrestricted")) {
			assertThat(app.post("/actuator/profiler", "{\"action\": \"stop\"}").statusCode()).isEqualTo(200);
			assertThat(app.profiler().isRunning()).isFalse();
		}
	}

	private static List<Window> windows(Profiler profiler) throws IOException {
		return profiler.history().windows().stream().map(Window::of).toList();
	}

	private static List<Path> files(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.sorted().toList();
		}
	}

	private record Window(long sequence, Instant start, Instant end) {

		static Window of(RecordedWindow profile) {
			return new Window(profile.sequence(), profile.start(), profile.end());
		}

	}

}
