package io.ddprof.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample uploads only when the environment names a Datadog agent or the agent's
 * socket is there.
 */
class SampleApplicationTests {

	@TempDir
	Path temp;

	@Test
	void uploadsWhenAnAgentHostOrUrlIsSet() {
		Path noSocket = this.temp.resolve("apm.socket");
		assertThat(SampleApplication.agentConfigured(Map.of("DD_AGENT_HOST", "datadog-agent"), noSocket)).isTrue();
		assertThat(SampleApplication.agentConfigured(Map.of("DD_TRACE_AGENT_URL", "http://agent:8126"), noSocket))
			.isTrue();
	}

	@Test
	void uploadsWhenTheAgentsSocketIsThere() throws Exception {
		Path socket = Files.createFile(this.temp.resolve("apm.socket"));
		assertThat(SampleApplication.agentConfigured(Map.of(), socket)).isTrue();
	}

	@Test
	void keepsProfilesLocalWithoutAnAgent() {
		Path noSocket = this.temp.resolve("apm.socket");
		assertThat(SampleApplication.agentConfigured(Map.of(), noSocket)).isFalse();
		assertThat(SampleApplication.agentConfigured(Map.of("DD_AGENT_HOST", " ", "DD_SERVICE", "orders"), noSocket))
			.isFalse();
	}

}
