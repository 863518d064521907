package io.ddprof.export.datadog;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import io.ddprof.config.ProfilerSettings;

/**
 * Decides where uploads go, as dd-java-agent does: the agent URL the user set
 * ({@code ddprof.agent.url}, {@code DD_TRACE_AGENT_URL}, {@code DD_AGENT_HOST}), else the
 * agent's Unix domain socket at {@value #DEFAULT_SOCKET_PATH} when it exists (Kubernetes
 * setups mount it there), else {@code http://localhost:8126}; and says why, for status.
 */
public final class AgentLocator {

	/** Where the Datadog agent's socket usually is. */
	public static final String DEFAULT_SOCKET_PATH = "/var/run/datadog/apm.socket";

	private final Path defaultSocket;

	/** A locator looking for the agent's socket at {@value #DEFAULT_SOCKET_PATH}. */
	public AgentLocator() {
		this(Path.of(DEFAULT_SOCKET_PATH));
	}

	/** A locator looking for the agent's socket at {@code defaultSocket}. */
	public AgentLocator(Path defaultSocket) {
		this.defaultSocket = defaultSocket;
	}

	/**
	 * Where uploads for {@code agent} go.
	 * @param agent the agent settings
	 * @param reachable whether the transport can send to a URL (the JDK's client cannot
	 * reach a socket: then the default socket is not chosen)
	 */
	public AgentDestination locate(ProfilerSettings.Agent agent, Predicate<URI> reachable) {
		if (agent.agentless()) {
			return new AgentDestination(agent.endpoint(), "agentless: Datadog's intake for ddprof.site");
		}
		if (agent.url() != null) {
			return new AgentDestination(agent.url(), "ddprof.agent.url (or DD_TRACE_AGENT_URL, DD_AGENT_HOST) is set");
		}
		if (Files.exists(this.defaultSocket)) {
			URI socket = URI.create("unix://" + this.defaultSocket.toAbsolutePath());
			if (reachable.test(socket)) {
				return new AgentDestination(socket,
						"no agent URL is set and the agent's socket " + this.defaultSocket + " exists");
			}
			return new AgentDestination(ProfilerSettings.Agent.DEFAULT_URL,
					"no agent URL is set; the agent's socket " + this.defaultSocket
							+ " exists but this upload client cannot use sockets (the starter's WebClient can)");
		}
		return new AgentDestination(ProfilerSettings.Agent.DEFAULT_URL,
				"no agent URL is set and there is no agent socket at " + this.defaultSocket);
	}

}
