package io.ddprof.sample;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.ddprof.testing.JavaProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real dd-java-agent, with its profiler on, attached to the packaged sample that has
 * the starter in it: ddprof starts no second sampling engine, says why once and in
 * status, and the application serves as before.
 */
class DatadogJavaAgentIT {

	@Test
	void ddprofStartsNoEngineBesideDdJavaAgentsProfilerAndTheApplicationServes(@TempDir Path temp) throws Exception {
		Path agent = Path.of(System.getProperty("dd-java-agent.jar", "target/agents/dd-java-agent.jar"));
		assertThat(agent).as("dd-java-agent, copied by the build").isRegularFile();
		try (JavaProcess app = PackagedSample.startWithProbe(List.of("-javaagent:" + agent),
				List.of("--ddprof.temp-directory=" + temp.resolve("work"),
						"--ddprof.local.directory=" + temp.resolve("profiles")),
				Map.of("DD_PROFILING_ENABLED", "true", "DD_TRACE_AGENT_URL", "http://127.0.0.1:9",
						"DD_INSTRUMENTATION_TELEMETRY_ENABLED", "false"),
				Path.of("target", "datadog-java-agent-it.log"))) {
			app.awaitHealthy();
			for (String path : List.of("/cpu?millis=20", "/io?millis=20", "/alloc?mb=4", "/lock")) {
				assertThat(app.get(path).get("endpoint").isString()).as(path).isTrue();
			}
			JsonNode status = app.get("/actuator/profiler");
			assertThat(status.get("engine").asString()).isEqualTo("none");
			assertThat(status.get("engineReason").asString()).contains("dd-java-agent's profiler runs in this JVM");
			assertThat(app.countLines("dd-java-agent's profiler runs in this JVM")).as(app.logTail()).isEqualTo(1);
			assertThat(app.logLines()).filteredOn((line) -> line.contains("dd-java-agent's profiler runs"))
				.singleElement()
				.satisfies((line) -> assertThat(line).contains("WARN"));
			app.terminate();
		}
	}

}
