package io.ddprof.export.datadog;

/**
 * The names in the multipart request the Datadog intake takes (docs/datadog-intake.md),
 * for the code that builds it ({@link UploadRequestFactory}) and the code that reads it
 * back (tests, intakes standing in for Datadog). They are the intake's: they never
 * change.
 */
public final class DatadogMultipart {

	/** The name of the part holding the event (the window's metadata, JSON). */
	public static final String EVENT_PART = "event";

	/** The file name of the event part. */
	public static final String EVENT_FILE = "event.json";

	/** The name of the part holding the window's compressed JFR. */
	public static final String RECORDING_PART = "main";

	/** The file name of the recording part, which the event lists as its attachment. */
	public static final String RECORDING_FILE = "main.jfr";

	private DatadogMultipart() {
	}

}
