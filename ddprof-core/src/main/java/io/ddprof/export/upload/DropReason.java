package io.ddprof.export.upload;

/**
 * Why a window was given up before the destination took it: the keys of
 * {@link UploadStatus#dropped()}, the {@code reason} tag of the
 * {@code ddprof.uploads.dropped} meter, and the end of the problem keys
 * ({@code upload.dropped.queue-full}, ...). Their values are what users see in status,
 * metrics and logs: they never change.
 */
public enum DropReason {

	/**
	 * The queue was full ({@code ddprof.upload.queue-size}): the oldest window waiting
	 * made room.
	 */
	QUEUE_FULL("queue-full"),

	/**
	 * Retried for longer than the retry policy's maximum age without an answer that took
	 * it.
	 */
	EXPIRED("expired"),

	/**
	 * Still waiting or being sent at the shutdown deadline, or offered after the queue
	 * closed.
	 */
	SHUTDOWN("shutdown"),

	/** Could not be written to the spool directory (a full disk, say). */
	SPOOL_ERROR("spool-error"),

	/**
	 * The transport cannot reach the destination's kind of URL (a Unix socket without the
	 * starter, say).
	 */
	UNSUPPORTED_URL("unsupported-url"),

	/** Refused in a successful answer (OTLP's partial success). */
	REJECTED("rejected");

	private final String value;

	DropReason(String value) {
		this.value = value;
	}

	/**
	 * The reason as status, metrics and problem keys say it, such as {@code queue-full}.
	 */
	public String value() {
		return this.value;
	}

}
