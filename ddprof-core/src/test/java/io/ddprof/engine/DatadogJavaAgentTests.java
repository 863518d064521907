package io.ddprof.engine;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When dd-java-agent's profiler runs beside ddprof, and when it does not. */
class DatadogJavaAgentTests {

	private static final List<String> AGENT = List.of("-Xmx1g", "-javaagent:/opt/datadog/dd-java-agent-1.68.1.jar");

	@Test
	void anAttachedAgentWithProfilingOnStopsDdprofFromSampling() {
		assertThat(
				DatadogJavaAgent.profilerRunning(false, AGENT, (key) -> null, Map.of("DD_PROFILING_ENABLED", "true")))
			.contains("dd-java-agent's profiler runs in this JVM (DD_PROFILING_ENABLED=true)")
			.contains("-Ddd.profiling.enabled=false");
		assertThat(DatadogJavaAgent.profilerRunning(true, List.of(), (key) -> null,
				Map.of("DD_PROFILING_ENABLED", "auto")))
			.isNotNull();
	}

	@Test
	void theSystemPropertyWinsOverTheVariableAsDdJavaAgentReadsThem() {
		assertThat(DatadogJavaAgent.profilerRunning(false, AGENT,
				(key) -> key.equals("dd.profiling.enabled") ? "false" : null, Map.of("DD_PROFILING_ENABLED", "true")))
			.isNull();
		assertThat(DatadogJavaAgent.profilerRunning(false, AGENT,
				(key) -> key.equals("dd.profiling.enabled") ? "1" : null, Map.of()))
			.contains("-Ddd.profiling.enabled=1");
	}

	@Test
	void anAgentWithoutProfilingOrProfilingWithoutTheAgentLetsDdprofSample() {
		assertThat(DatadogJavaAgent.profilerRunning(false, AGENT, (key) -> null, Map.of())).isNull();
		assertThat(
				DatadogJavaAgent.profilerRunning(false, AGENT, (key) -> null, Map.of("DD_PROFILING_ENABLED", "false")))
			.isNull();
		assertThat(DatadogJavaAgent.profilerRunning(false, List.of("-Xmx1g"), (key) -> null,
				Map.of("DD_PROFILING_ENABLED", "true")))
			.isNull();
	}

	@Test
	void thisTestJvmRunsNoDatadogProfiler() {
		assertThat(DatadogJavaAgent.profilerRunning()).isNull();
	}

}
