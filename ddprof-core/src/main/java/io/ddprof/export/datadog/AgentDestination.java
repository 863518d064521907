package io.ddprof.export.datadog;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Where uploads go, and why there: an {@code http(s)://} agent or intake, or the agent's
 * Unix domain socket ({@code unix:///var/run/datadog/apm.socket}).
 *
 * @param url the agent's URL, the intake's endpoint, or the {@code unix:} URL of the
 * socket
 * @param reason why this destination was chosen, for status
 */
public record AgentDestination(URI url, String reason) {

	/**
	 * The HTTP host named in requests over a socket: the agent's HTTP server reads no
	 * more of it.
	 */
	static final String SOCKET_HOST = "localhost";

	/** Whether uploads go over a Unix domain socket. */
	public boolean isSocket() {
		return isSocket(this.url);
	}

	/** The socket file, or {@code null} when uploads go over TCP. */
	public @Nullable Path socket() {
		return isSocket() ? Path.of(this.url.getPath()) : null;
	}

	/**
	 * The URI of the requests to the agent's {@code path} (such as
	 * {@code /profiling/v1/input}): over a socket {@code http://localhost/...}, the
	 * request line and {@code Host} that dd-trace-java sends there too.
	 */
	URI request(String path) {
		if (isSocket()) {
			return URI.create("http://" + SOCKET_HOST + path);
		}
		String base = this.url.toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
	}

	/** Whether {@code uri} names a Unix domain socket ({@code unix:}). */
	public static boolean isSocket(URI uri) {
		return uri.getScheme() != null && uri.getScheme().toLowerCase(Locale.ROOT).equals("unix");
	}

}
