package io.ddprof.config;

/** Which sampling engine records the profile ({@code ddprof.engine}). */
public enum EngineChoice {

	/**
	 * async-profiler where its native library loads, the JDK Flight Recorder otherwise.
	 */
	AUTO("auto"),

	/** async-profiler only; a failure to load it leaves the profiler degraded. */
	ASYNC_PROFILER("async-profiler"),

	/** The JDK Flight Recorder with hand-picked events. */
	JFR("jfr");

	private final String value;

	EngineChoice(String value) {
		this.value = value;
	}

	/** The value as users write it in settings. */
	public String value() {
		return this.value;
	}

	/** Parses a settings value, accepting the enum name too ({@code ASYNC_PROFILER}). */
	public static EngineChoice parse(String key, String text) {
		return SettingValues.parseEnum(key, text, values(), EngineChoice::value);
	}

}
