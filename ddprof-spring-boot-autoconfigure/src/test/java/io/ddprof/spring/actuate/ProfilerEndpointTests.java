package io.ddprof.spring.actuate;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

import io.ddprof.ProfilerStatus;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link ProfilerEndpoint} over HTTP, in a real application recording with
 * async-profiler: every operation, format, filter and error status.
 */
class ProfilerEndpointTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path temp;

	static ProfiledApplication app;

	@BeforeAll
	static void startApplication() throws Exception {
		// Cut, stop and start are granted: they are off by default (see
		// ProfilerDownloadsTests).
		app = ProfiledApplication.start(temp, false, "--ddprof.local.directory=" + temp.resolve("local"),
				"--management.endpoint.profiler.access=unrestricted");
		// Two windows at least, the hot method in them, so that downloads span several
		// windows.
		app.busy(300);
		app.awaitStatus((status) -> status.windowsRecorded() >= 2);
		app.busy(300);
	}

	@AfterAll
	static void stopApplication() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void statusDescribesTheProfilerWithoutItsSecret() throws Exception {
		HttpResponse<byte[]> response = app.get("/actuator/profiler");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/vnd.spring-boot.actuator.v3+json"));
		String body = new String(response.body(), StandardCharsets.UTF_8);
		assertThat(body).doesNotContain(ProfiledApplication.API_KEY);
		JsonNode status = json.readTree(body);
		assertThat(status.get("enabled").asBoolean()).isTrue();
		assertThat(status.get("state").asString()).isEqualTo("RUNNING");
		assertThat(status.get("engine").asString()).isEqualTo("async-profiler");
		assertThat(status.get("engineReason").asString()).isNotEmpty();
		assertThat(status.get("events").get("cpu").asString()).endsWith("us");
		assertThat(status.get("events").has("wall")).isTrue();
		assertThat(status.get("service").asString()).isEqualTo("orders");
		assertThat(status.get("env").asString()).isEqualTo("test");
		assertThat(status.get("version").asString()).isEqualTo("1.2.3");
		assertThat(status.get("tags").get("team").asString()).isEqualTo("backend");
		assertThat(Instant.parse(status.get("startedAt").asString())).isBefore(Instant.now());
		assertThat(Instant.parse(status.get("currentWindowStart").asString()))
			.isAfter(Instant.parse(status.get("startedAt").asString()));
		assertThat(status.get("windowsRecorded").asLong()).isGreaterThanOrEqualTo(2);
		assertThat(status.get("windowsDropped").asLong()).isZero();
		assertThat(status.get("maxSeamMs").asDouble()).isGreaterThanOrEqualTo(status.get("lastSeamMs").asDouble());
		assertThat(status.get("history").get("windows").asInt()).isPositive();
		assertThat(status.get("history").get("bytes").asLong()).isPositive();
		assertThat(status.get("local").get("directory").asString())
			.isEqualTo(temp.resolve("local").toAbsolutePath().toString());
		assertThat(status.get("local").get("files").asInt()).isPositive();
		// Boot's actuator JSON leaves out null values: no upload when it is off.
		assertThat(status.hasNonNull("upload")).isFalse();
		assertThat(status.get("totalSamples").get("cpu").asLong()).isPositive();
		assertThat(status.get("exporters")).extracting(JsonNode::asString).contains("history", "local");
		assertThat(status.get("problems").isArray()).isTrue();
		JsonNode lastWindow = status.get("lastWindow");
		assertThat(lastWindow.get("sequence").asLong()).isPositive();
		assertThat(Instant.parse(lastWindow.get("end").asString()))
			.isAfter(Instant.parse(lastWindow.get("start").asString()));
		// Without a tracing bridge no sample belongs to an endpoint.
		assertThat(lastWindow.get("endpoints").isArray()).isTrue();
	}

	@Test
	void jfrDownloadConcatenatesTheWindowsIntoOneRecordingHoldingTheHotMethod() throws Exception {
		app.busy(200);
		HttpResponse<byte[]> response = app.get("/actuator/profiler/jfr?seconds=600");
		assertThat(response.statusCode()).isEqualTo(200);
		assertDownload(response, "application/octet-stream", "attachment", "orders-\\d{8}T\\d{6}Z\\.jfr");
		assertThat(chunks(response.body())).isGreaterThanOrEqualTo(2);
		Path file = Files.write(temp.resolve("download.jfr"), response.body());
		List<RecordedEvent> events = RecordingFile.readAllEvents(file);
		assertThat(events).anySatisfy((event) -> assertThat(isHot(event)).isTrue());
	}

	@Test
	void pprofDownloadIsAWellFormedProfileNamingTheHotMethod() throws Exception {
		app.busy(200);
		HttpResponse<byte[]> response = app.get("/actuator/profiler/pprof");
		assertThat(response.statusCode()).isEqualTo(200);
		assertDownload(response, "application/octet-stream", "attachment", "orders-\\d{8}T\\d{6}Z-cpu\\.pprof");
		Pprof pprof = Pprof.decode(response.body());
		assertThat(pprof.sampleTypes()).containsExactly("cpu/nanoseconds", "samples/count");
		assertThat(pprof.samples()).isPositive();
		assertThat(pprof.strings()).contains(BusyController.HOT_METHOD);
	}

	@Test
	void collapsedDownloadHoldsTheHotMethod() throws Exception {
		app.busy(200);
		HttpResponse<byte[]> response = app.get("/actuator/profiler/collapsed?event=cpu&seconds=120");
		assertThat(response.statusCode()).isEqualTo(200);
		assertDownload(response, "text/plain;charset=UTF-8", "attachment", "orders-\\d{8}T\\d{6}Z-cpu\\.collapsed");
		List<String> lines = lines(response);
		assertThat(lines).isNotEmpty().allSatisfy((line) -> assertThat(line).matches("[^ ].*[^;] \\d+"));
		assertThat(lines).anySatisfy((line) -> assertThat(line).contains(BusyController.HOT_METHOD + ";")
			.containsPattern(BusyController.class.getName() + "\\.busy;.*spinOnCpuForProfilerTests"));
	}

	@Test
	void flameGraphDownloadIsAPageABrowserShows() throws Exception {
		app.busy(200);
		HttpResponse<byte[]> response = app.get("/actuator/profiler/flamegraph");
		assertThat(response.statusCode()).isEqualTo(200);
		assertDownload(response, "text/html;charset=UTF-8", "inline", "orders-\\d{8}T\\d{6}Z-cpu\\.html");
		String html = new String(response.body(), StandardCharsets.UTF_8);
		assertThat(html).startsWith("<!DOCTYPE html>")
			.contains("<h1>orders: cpu, ")
			.contains("spinOnCpuForProfilerTests");
	}

	@Test
	void eventSelectsTheProfileType() throws Exception {
		HttpResponse<byte[]> wall = app.get("/actuator/profiler/pprof?event=wall");
		assertThat(wall.statusCode()).isEqualTo(200);
		assertThat(wall.headers().firstValue("Content-Disposition"))
			.hasValueSatisfying((disposition) -> assertThat(disposition).contains("-wall.pprof"));
		assertThat(Pprof.decode(wall.body()).sampleTypes()).containsExactly("wall/nanoseconds");
		HttpResponse<byte[]> lock = app.get("/actuator/profiler/pprof?event=lock");
		assertThat(Pprof.decode(lock.body()).sampleTypes()).containsExactly("lock-time/nanoseconds",
				"lock-count/count");
	}

	@Test
	void anotherControllersResponseIsLeftAlone() throws Exception {
		// The very type the endpoint's downloads are, sent by a controller of the
		// application's.
		HttpResponse<byte[]> response = app.get(OtherFileController.PATH);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(OtherFileController.CONTENT);
		assertThat(response.headers().firstValue("Content-Disposition")).isEmpty();
	}

	@Test
	void endpointAndTraceFiltersNarrowTheOutput() throws Exception {
		app.busy(200);
		assertThat(lines(app.get("/actuator/profiler/collapsed"))).isNotEmpty();
		String nowhere = URLEncoder.encode("GET /nowhere/{id}", StandardCharsets.UTF_8);
		HttpResponse<byte[]> byEndpoint = app.get("/actuator/profiler/collapsed?endpoint=" + nowhere);
		assertThat(byEndpoint.statusCode()).isEqualTo(200);
		assertThat(lines(byEndpoint)).isEmpty();
		HttpResponse<byte[]> byTrace = app.get("/actuator/profiler/pprof?traceId=4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(byTrace.statusCode()).isEqualTo(200);
		assertThat(Pprof.decode(byTrace.body()).samples()).isZero();
		assertThat(Pprof.decode(app.get("/actuator/profiler/pprof").body()).samples()).isPositive();
	}

	@Test
	void downloadsLeaveNoFileBehind() throws Exception {
		for (String format : new String[] { "jfr", "pprof", "collapsed", "flamegraph" }) {
			assertThat(app.get("/actuator/profiler/" + format).statusCode()).isEqualTo(200);
		}
		// Each file is deleted once the server has sent it, which may be just after the
		// client
		// has read the last byte.
		long hangGuard = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		while (!dumpFiles().isEmpty() && System.nanoTime() < hangGuard) {
			Thread.sleep(20);
		}
		assertThat(dumpFiles()).isEmpty();
	}

	@ParameterizedTest(name = "{0} answers 400 naming {1}")
	@CsvSource(delimiter = '|', textBlock = """
			/actuator/profiler/svg                        | allowed: jfr, pprof, collapsed, flamegraph
			/actuator/profiler/JFR                        | allowed: jfr, pprof, collapsed, flamegraph
			/actuator/profiler/pprof?event=heap           | allowed: cpu, wall, alloc, live, lock
			/actuator/profiler/jfr?event=                 | allowed: cpu, wall, alloc, live, lock
			/actuator/profiler/pprof?seconds=0            | a whole number from 1 to 86400
			/actuator/profiler/pprof?seconds=-5           | a whole number from 1 to 86400
			/actuator/profiler/pprof?seconds=86401        | a whole number from 1 to 86400
			/actuator/profiler/pprof?seconds=99999999999  | a whole number from 1 to 86400
			/actuator/profiler/pprof?seconds=1.5          | a whole number from 1 to 86400
			/actuator/profiler/pprof?seconds=sixty        | a whole number from 1 to 86400
			/actuator/profiler/pprof?traceId=not-hex      | 1 to 32 hexadecimal digits
			/actuator/profiler/pprof?traceId=4bf92f3577b34da6a3ce929d0e0e47360 | 1 to 32 hexadecimal digits
			""")
	void badParametersAnswer400NamingWhatIsAllowed(String path, String allowed) throws Exception {
		HttpResponse<byte[]> response = app.get(path);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains(allowed);
	}

	@Test
	void anOverlongEndpointAnswers400() throws Exception {
		HttpResponse<byte[]> response = app.get("/actuator/profiler/collapsed?endpoint=" + "x".repeat(257));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("1 to 256 characters")
			.doesNotContain("x".repeat(41));
	}

	@Test
	void aDumpWhileAnotherRunsAnswers429() throws Exception {
		Semaphore dumping = app.bean(ProfilerEndpoint.class).dumping;
		assertThat(dumping.tryAcquire()).isTrue();
		try {
			HttpResponse<byte[]> response = app.get("/actuator/profiler/collapsed");
			assertThat(response.statusCode()).isEqualTo(429);
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("try again");
		}
		finally {
			dumping.release();
		}
		assertThat(app.get("/actuator/profiler/collapsed").statusCode()).isEqualTo(200);
	}

	@Test
	void cutExportsTheCurrentWindowLikeAnyOther() throws Exception {
		long before = app.profiler().status().windowsRecorded();
		List<Path> localBefore = files(temp.resolve("local"));
		HttpResponse<byte[]> response = app.post("/actuator/profiler", "{\"action\": \"cut\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode answer = json.readTree(response.body());
		assertThat(answer.get("action").asString()).isEqualTo("cut");
		assertThat(answer.hasNonNull("error")).isFalse();
		assertThat(answer.get("window").get("snapshot").asString()).isEqualTo("on_demand");
		assertThat(answer.get("window").get("sequence").asLong()).isGreaterThan(before);
		assertThat(answer.get("status").get("windowsRecorded").asLong()).isGreaterThan(before);
		// The future completes once every exporter has the window: the local directory
		// too.
		assertThat(files(temp.resolve("local"))).hasSizeGreaterThan(localBefore.size())
			.anySatisfy((file) -> assertThat(file.getFileName().toString()).endsWith("-on_demand.jfr"));
	}

	@Test
	void stopAndStartAtRunTimeAndDumpsAnswer503WhileStopped() throws Exception {
		HttpResponse<byte[]> stop = app.post("/actuator/profiler", "{\"action\": \"stop\"}");
		try {
			assertThat(stop.statusCode()).isEqualTo(200);
			assertThat(json.readTree(stop.body()).get("status").get("state").asString()).isEqualTo("STOPPED");
			assertThat(app.profiler().isRunning()).isFalse();
			HttpResponse<byte[]> dump = app.get("/actuator/profiler/pprof");
			assertThat(dump.statusCode()).isEqualTo(503);
			assertThat(new String(dump.body(), StandardCharsets.UTF_8)).contains("not recording")
				.contains("\"action\": \"start\"");
			assertThat(json.readTree(app.post("/actuator/profiler", "{\"action\": \"cut\"}").body())
				.get("error")
				.asString()).contains("not running");
			assertThat(json.readTree(app.get("/actuator/profiler").body()).get("state").asString())
				.isEqualTo("STOPPED");
		}
		finally {
			HttpResponse<byte[]> start = app.post("/actuator/profiler", "{\"action\": \"start\"}");
			assertThat(start.statusCode()).isEqualTo(200);
		}
		app.awaitStatus((status) -> status.state() == ProfilerStatus.State.RUNNING);
		app.busy(200);
		HttpResponse<byte[]> dump = app.get("/actuator/profiler/collapsed");
		assertThat(dump.statusCode()).isEqualTo(200);
		assertThat(lines(dump)).anySatisfy((line) -> assertThat(line).contains(BusyController.HOT_METHOD));
	}

	@Test
	void anUnknownOrMissingActionAnswers400() throws Exception {
		HttpResponse<byte[]> unknown = app.post("/actuator/profiler", "{\"action\": \"restart\"}");
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(json.readTree(unknown.body()).get("error").asString()).contains("allowed: cut, start, stop");
		HttpResponse<byte[]> missing = app.post("/actuator/profiler", "{}");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(json.readTree(missing.body()).get("error").asString()).contains("Missing action");
		assertThat(app.profiler().isRunning()).isTrue();
	}

	private static void assertDownload(HttpResponse<byte[]> response, String contentType, String disposition,
			String fileName) {
		assertThat(response.headers().firstValue("Content-Type")).hasValue(contentType);
		assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				(header) -> assertThat(header).matches(disposition + "; filename=\"" + fileName + "\""));
	}

	private static boolean isHot(RecordedEvent event) {
		if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
			return false;
		}
		for (RecordedFrame frame : event.getStackTrace().getFrames()) {
			if ((frame.getMethod().getType().getName() + "." + frame.getMethod().getName())
				.equals(BusyController.HOT_METHOD)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Counts the JFR chunks by walking their headers: magic, version, then the chunk's
	 * size.
	 */
	private static int chunks(byte[] jfr) {
		ByteBuffer buffer = ByteBuffer.wrap(jfr);
		int chunks = 0;
		int offset = 0;
		while (offset < jfr.length) {
			assertThat(buffer.getInt(offset)).as("chunk magic at %d", offset).isEqualTo(0x464c5200);
			long size = buffer.getLong(offset + 8);
			assertThat(size).isPositive();
			offset = Math.toIntExact(offset + size);
			chunks++;
		}
		assertThat(offset).isEqualTo(jfr.length);
		return chunks;
	}

	private static List<String> lines(HttpResponse<byte[]> response) {
		assertThat(response.statusCode()).isEqualTo(200);
		return new String(response.body(), StandardCharsets.UTF_8).lines().toList();
	}

	/**
	 * What downloads left in the temp directory: files and directories named
	 * {@code ddprof-dump-*}.
	 */
	private static List<Path> dumpFiles() throws IOException {
		try (Stream<Path> files = Files.list(temp.resolve("work"))) {
			return files.filter((file) -> file.getFileName().toString().startsWith("ddprof-dump-")).toList();
		}
	}

	private static List<Path> files(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.toString().endsWith(".jfr")).toList();
		}
	}

}
