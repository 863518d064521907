package io.ddprof.export.upload;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * Where an {@link UploadQueue} sends and how it words that destination's problems, so
 * that one queue implementation serves every backend (Datadog, OTLP, Pyroscope) with its
 * own thread, problem keys and advice.
 *
 * @param threadName the name of the queue's sender thread
 * @param problemKey the prefix of the problem keys this queue reports ({@code upload},
 * {@code otlp.upload}, ...), so that each backend's problems are rate-limited apart
 * @param uri where requests go, for messages and status
 * @param description the destination in a sentence, such as
 * {@code the Datadog agent at http://...}
 * @param reason why requests go there (which setting named it, or which default applies),
 * for status
 * @param secret a credential that must never reach a log or status (scrubbed from
 * transport messages), or {@code null}
 * @param timeoutKey the setting that bounds a request, named when an answer does not come
 * in time
 * @param refusals what to say when the destination refuses a window
 */
public record UploadDestination(String threadName, String problemKey, URI uri, String description, String reason,
		@Nullable String secret, String timeoutKey, Refusals refusals) {

	/** How a destination refuses windows, in its own words. */
	public interface Refusals {

		/**
		 * The one line logged when the destination answers a window with a 4xx other than
		 * 429; the window is counted as failed and not retried.
		 * @param status the HTTP status
		 * @param profile the window, such as {@code profile #12}
		 * @param size the window's size in bytes as sent
		 */
		String rejected(int status, String profile, long size);

		/**
		 * Why a successful (2xx) answer still refused the window, or {@code null} when it
		 * took it: OTLP answers a partial success with the number of profiles it
		 * rejected. A refused window is counted as dropped with reason {@code rejected}.
		 * @param body the start of the answer's body
		 */
		default @Nullable String refused(byte[] body) {
			return null;
		}

	}

}
