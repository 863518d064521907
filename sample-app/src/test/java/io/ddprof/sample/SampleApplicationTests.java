package io.ddprof.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample uploads only when the environment names a Datadog agent. */
class SampleApplicationTests {

	@Test
	void uploadsWhenAnAgentHostOrUrlIsSet() {
		assertThat(SampleApplication.agentConfigured(Map.of("DD_AGENT_HOST", "datadog-agent"))).isTrue();
		assertThat(SampleApplication.agentConfigured(Map.of("DD_TRACE_AGENT_URL", "http://agent:8126"))).isTrue();
	}

	@Test
	void keepsProfilesLocalWithoutAnAgent() {
		assertThat(SampleApplication.agentConfigured(Map.of())).isFalse();
		assertThat(SampleApplication.agentConfigured(Map.of("DD_AGENT_HOST", " ", "DD_SERVICE", "orders"))).isFalse();
	}

}
