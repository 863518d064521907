package io.ddprof.export.upload;

/**
 * What last happened to a window of an upload queue ({@link UploadStatus#lastOutcome()});
 * the first three are also the {@code outcome} tag of the {@code ddprof.uploads} meter.
 * Their values are what users see in status and metrics: they never change.
 */
public enum UploadOutcome {

	/** Nothing yet. */
	NONE("none"),

	/** The destination took the window. */
	SENT("sent"),

	/** A try failed (no answer, 429 or 5xx) and the window waits to be tried again. */
	RETRIED("retried"),

	/** The destination rejected the window for good (a 4xx other than 429). */
	FAILED("failed"),

	/**
	 * The window was given up before the destination took it (see {@link DropReason}).
	 */
	DROPPED("dropped");

	private final String value;

	UploadOutcome(String value) {
		this.value = value;
	}

	/** The outcome as status and metrics say it, such as {@code sent}. */
	public String value() {
		return this.value;
	}

}
