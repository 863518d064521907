package io.ddprof.export.upload;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What one backend's upload has done so far, for the profiler's status and metrics. Holds
 * no secret: the destination is a URL without credentials.
 *
 * @param destination where profiles go: an {@code http(s)://} URL or the Datadog agent's
 * {@code unix:} socket
 * @param destinationReason why there (an agent URL is set, the agent's default socket
 * exists, an endpoint is set, ...)
 * @param queueDepth windows waiting or being sent
 * @param lastOutcome the last thing that happened to a window
 * ({@link UploadOutcome#value()}: {@code sent}, {@code retried}, {@code failed},
 * {@code dropped}), or {@code none}
 * @param lastOutcomeTime when it happened, or {@code null}
 * @param lastDetail a short reason, such as {@code HTTP 500} or
 * {@code connection refused}
 * @param sent windows the intake accepted
 * @param retried tries that failed and were scheduled again
 * @param failed windows the intake rejected for good (a 4xx other than 429)
 * @param dropped windows given up without an answer from the intake, or refused in a
 * successful one, by reason ({@link DropReason#value()}: {@code queue-full},
 * {@code expired}, {@code shutdown}, {@code spool-error}, {@code unsupported-url},
 * {@code rejected})
 * @param bytesSent compressed bytes of the windows sent
 */
public record UploadStatus(URI destination, String destinationReason, int queueDepth, String lastOutcome,
		@Nullable Instant lastOutcomeTime, String lastDetail, long sent, long retried, long failed,
		Map<String, Long> dropped, long bytesSent) {

	/** Sorts the drop reasons and makes them unmodifiable. */
	public UploadStatus {
		dropped = Collections.unmodifiableMap(new TreeMap<>(dropped));
	}

}
