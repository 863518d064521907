package io.ddprof.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ddprof.testing.IntakeServer;
import io.ddprof.testing.JavaProcess;
import io.ddprof.testing.SocketIntakeServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample, started with {@code java -jar} and
 * {@code DD_TRACE_AGENT_URL=unix://...} as Kubernetes setups inject it, uploads every
 * window over the agent's Unix domain socket (a {@link SocketIntakeServer}, an HTTP
 * server on Netty's epoll transport, stands for the agent), and says so in its status:
 * the native transport is in the jar the starter makes.
 */
class AgentSocketIT {

	// Hang guards only.
	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	@TempDir
	Path temp;

	@Test
	void thePackagedSampleUploadsOverTheAgentsSocket() throws Exception {
		Path socket = this.temp.resolve("apm.socket");
		SocketIntakeServer agent = SocketIntakeServer.onSocket(socket);
		Path log = this.temp.resolve("sample.log");
		JsonNode upload;
		JavaProcess app = PackagedSample.start(List.of("-Xmx256m"),
				List.of("--ddprof.upload.period=2s", "--ddprof.temp-directory=" + this.temp.resolve("work")),
				Map.of("DD_TRACE_AGENT_URL", agent.url()), log);
		try {
			await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
				assertThat(app.isAlive()).as("the sample exited: %s", app.logTail()).isTrue();
				return agent.requests().size() >= 2;
			});
			upload = app.get("/actuator/profiler").get("upload");
		}
		finally {
			app.terminate();
			agent.close();
		}

		assertThat(agent.requests()).allSatisfy((request) -> assertThat(describe(request))
			.isEqualTo("POST /profiling/v1/input Host: localhost event first: true"));
		assertThat(upload.get("destination").asString()).isEqualTo("unix://" + socket);
		assertThat(upload.get("destinationReason").asString()).contains("is set");
		assertThat(upload.get("sent").asLong()).isGreaterThanOrEqualTo(2);
		assertThat(upload.get("dropped").isEmpty()).isTrue();
		assertThat(app.exitCode()).as(app.logTail()).isEqualTo(143);
	}

	/**
	 * The request line, the Host header and whether the {@code event} part comes before
	 * {@code main}.
	 */
	private static String describe(IntakeServer.Request request) {
		String body = request.text();
		int event = body.indexOf("name=\"event\"");
		boolean eventFirst = event >= 0 && event < body.indexOf("name=\"main\"");
		return request.method() + " " + request.uri() + " Host: " + request.headers().get("Host") + " event first: "
				+ eventFirst;
	}

}
