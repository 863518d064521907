package io.ddprof.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.ddprof.export.datadog.AgentLocator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.util.StringUtils;

/** A small traced service whose endpoints make each profile type obvious. */
@SpringBootApplication
public class SampleApplication {

	/** Starts the sample service. */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		// As a default property, the lowest-ranked source: ddprof.upload.enabled given
		// anywhere else wins.
		application.setDefaultProperties(Map.of("ddprof.upload.enabled",
				Boolean.toString(agentConfigured(System.getenv(), Path.of(AgentLocator.DEFAULT_SOCKET_PATH)))));
		application.run(args);
	}

	/**
	 * Whether the environment names a Datadog agent, or the agent's socket is at
	 * {@code defaultSocket}. Without either, the sample keeps its profiles in the local
	 * directory only, instead of logging that {@code localhost:8126} does not answer.
	 */
	static boolean agentConfigured(Map<String, String> environment, Path defaultSocket) {
		return StringUtils.hasText(environment.get("DD_AGENT_HOST"))
				|| StringUtils.hasText(environment.get("DD_TRACE_AGENT_URL")) || Files.exists(defaultSocket);
	}

}
