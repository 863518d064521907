package io.ddprof.export.datadog;

import java.net.URI;

import io.ddprof.export.upload.UploadDestination;
import org.jspecify.annotations.Nullable;

/**
 * The Datadog agent or intake as an {@link UploadDestination}, with Datadog's advice on
 * refusals.
 */
final class DatadogDestination implements UploadDestination.Refusals {

	/** The Datadog upload's sender thread. */
	static final String THREAD_NAME = "ddprof-upload";

	private final String where;

	private final boolean agentless;

	private DatadogDestination(String where, boolean agentless) {
		this.where = where;
		this.agentless = agentless;
	}

	/**
	 * The destination of uploads to {@code endpoint}.
	 * @param endpoint where uploads go, without credentials
	 * @param reason why there, for status
	 * @param apiKey the API key sent to Datadog's intake, or {@code null} when uploads go
	 * to an agent
	 */
	static UploadDestination of(URI endpoint, String reason, @Nullable String apiKey) {
		boolean agentless = apiKey != null;
		String where = (agentless ? "Datadog's intake at " : "the Datadog agent at ") + endpoint;
		return new UploadDestination(THREAD_NAME, "upload", endpoint, where, reason, apiKey, "ddprof.upload.timeout",
				new DatadogDestination(where, agentless));
	}

	@Override
	public String rejected(int status, String profile, long size) {
		return switch (status) {
			case 413 -> this.where + " rejected " + profile + " (" + size
					+ " bytes compressed) as too large (HTTP 413); it is dropped, not retried. Shorten ddprof.upload.period "
					+ "or turn off costly events";
			case 403 -> this.where + " refused the API key (HTTP 403); " + profile
					+ " is dropped, not retried. Check ddprof.api-key (DD_API_KEY) and ddprof.site";
			case 401 -> this.where + " asked for authentication (HTTP 401); " + profile
					+ " is dropped, not retried. Check ddprof.api-key (DD_API_KEY)";
			case 404 -> this.agentless
					? this.where + " answered HTTP 404; " + profile + " is dropped, not retried. Check ddprof.site"
					: this.where
							+ " does not accept profiles (HTTP 404): profiling through the agent needs Datadog Agent "
							+ "7.20 or newer; check the agent version and ddprof.agent.url. " + profile
							+ " is dropped, not retried";
			default -> this.where + " rejected " + profile + " with HTTP " + status + "; it is dropped, not retried";
		};
	}

}
