package io.ddprof.sample.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.ddprof.sample.PackagedSample;
import io.ddprof.testing.JavaProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests to {@code /actuator/profiler}, from a table, against the packaged
 * sample running as a process and recording: unknown formats, events and actions, seconds
 * negative, zero, fractional or huge, path tricks, very long values. Each is answered 400
 * (404 where Boot's routing rejects the path first) with a message saying what is allowed
 * when the endpoint itself answers, and the application keeps serving, with no error in
 * its log nor a stack trace through ddprof.
 */
@Tag("fault")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActuatorBadRequestsIT {

	private static final String LONG = "x".repeat(5000);

	private static final String TOO_LONG_FOR_TOMCAT = "x".repeat(20_000);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private JavaProcess app;

	static Stream<BadRequest> requests() {
		return Stream.of(get("/svg", 400, "Unknown format 'svg'; allowed: jfr, pprof, collapsed, flamegraph"),
				get("/pprof?event=gpu", 400, "Unknown event 'gpu'; allowed: cpu, wall, alloc, live, lock"),
				get("/pprof?seconds=-5", 400, "Invalid seconds '-5'; allowed: a whole number from 1 to 86400"),
				get("/pprof?seconds=0", 400, "Invalid seconds '0'; allowed: a whole number from 1 to 86400"),
				get("/pprof?seconds=99999999999", 400, "Invalid seconds '99999999999'; allowed"),
				get("/pprof?seconds=1.5", 400, "Invalid seconds '1.5'; allowed"),
				get("/pprof?seconds=abc", 400, "Invalid seconds 'abc'; allowed"),
				get("/pprof?seconds=10&seconds=20", 400, "Invalid seconds"),
				get("/pprof?traceId=xyz", 400, "Invalid traceId 'xyz'; allowed: 1 to 32 hexadecimal digits"),
				get("/pprof?endpoint=" + LONG, 400,
						"Invalid endpoint 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'; allowed"),
				get("/jfr?event=..%2F..%2Fetc%2Fpasswd", 400, "Unknown event '../../etc/passwd'; allowed"),
				get("/jfr?event=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400, "Unknown event '?script?alert?1??/script?'"),
				get("/" + LONG, 400, "Unknown format 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'; allowed"),
				// Rejected before the endpoint: by Boot's routing or by Tomcat.
				get("/../../etc/passwd", 404, null), get("/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 400, null),
				get("/..%2F..%2Fetc%2Fpasswd", 400, null), get("/jfr%00.txt", 400, null),
				get("/" + TOO_LONG_FOR_TOMCAT, 400, null),
				post("{\"action\":\"explode\"}", 400, "Unknown action; allowed: cut, start, stop."),
				post("{}", 400, "Missing action"), post("{\"action\":\"" + LONG + "\"}", 400, "Unknown action"),
				post("not json", 400, null));
	}

	private static BadRequest get(String path, int status, String message) {
		return new BadRequest("GET", path, null, status, message);
	}

	private static BadRequest post(String body, int status, String message) {
		return new BadRequest("POST", "", body, status, message);
	}

	@BeforeAll
	void startTheSample() throws Exception {
		Path directory = Files.createTempDirectory("ddprof-actuator-");
		this.app = PackagedSample.startWithProbe(List.of(),
				List.of("--ddprof.upload.enabled=false", "--ddprof.upload.period=5s",
						"--ddprof.temp-directory=" + directory.resolve("work"),
						"--ddprof.local.directory=" + directory.resolve("profiles")),
				Map.of(), PackagedSample.reportDirectory().resolve("actuator-bad-requests.log"));
		this.app.awaitHealthy();
		assertThat(this.app.get("/actuator/profiler").get("state").asString()).isEqualTo("RUNNING");
	}

	@AfterAll
	void stopTheSample() throws Exception {
		if (this.app != null) {
			this.app.terminate();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("requests")
	@Order(1)
	void isAnsweredWithAClearRefusal(BadRequest request) throws Exception {
		HttpRequest.Builder builder = HttpRequest
			.newBuilder(URI.create(this.app.base() + "/actuator/profiler" + request.path()))
			.timeout(Duration.ofSeconds(60));
		if (request.body() != null) {
			builder.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(request.body()));
		}
		HttpResponse<String> response = this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(request.status());
		if (request.message() != null) {
			assertThat(response.body()).contains(request.message());
		}
		assertThat(response.body()).as("no stack trace in the answer")
			.doesNotContain("\tat ")
			.doesNotContain("Exception");
		assertThat(this.app.get("/cpu?millis=5").get("endpoint").asString()).as("the application serves")
			.isEqualTo("cpu");
	}

	@Test
	@Order(2)
	void theApplicationAndItsProfilerAreUnharmed() throws Exception {
		assertThat(this.app.get("/actuator/profiler").get("state").asString()).isEqualTo("RUNNING");
		assertThat(this.app.get("/cpu?millis=5").get("endpoint").asString()).isEqualTo("cpu");
		// Tomcat logs its own refusal of the oversized request line once at INFO, with a
		// stack trace
		// of its parser: not an error, and not ddprof's.
		assertThat(this.app.logLines())
			.noneMatch((line) -> line.contains(" ERROR ") || line.startsWith("\tat io.ddprof"));
	}

	/**
	 * One malformed request.
	 *
	 * @param method GET or POST
	 * @param path below {@code /actuator/profiler}, query included
	 * @param body a POST's JSON body, or {@code null}
	 * @param status the status expected
	 * @param message what the answer must say, or {@code null} where Tomcat or Boot
	 * answer first
	 */
	record BadRequest(String method, String path, String body, int status, String message) {

		@Override
		public String toString() {
			String shown = (this.body != null) ? this.body : this.path;
			return this.method + " "
					+ ((shown.length() > 60) ? shown.substring(0, 60) + "... (" + shown.length() + " chars)" : shown);
		}

	}

}
