package io.ddprof.config;

import org.jspecify.annotations.Nullable;

/**
 * A {@code ddprof.*} setting whose value cannot be used. The message names the key, the
 * value and what is allowed; the parts are kept so that a Spring {@code FailureAnalyzer}
 * can phrase its own description and action.
 */
public class InvalidSettingException extends IllegalArgumentException {

	private final String key;

	private final @Nullable String value;

	private final String allowed;

	/**
	 * Creates the exception for a key, its rejected value and a phrase saying what is
	 * allowed.
	 */
	public InvalidSettingException(String key, @Nullable String value, String allowed) {
		super("Invalid value '" + value + "' for " + key + ": " + allowed);
		this.key = key;
		this.value = value;
		this.allowed = allowed;
	}

	/** The setting's key, for example {@code ddprof.cpu.interval}. */
	public String getKey() {
		return this.key;
	}

	/** The rejected value as given (a secret is never passed here). */
	public @Nullable String getValue() {
		return this.value;
	}

	/** What the key accepts, for example "a positive duration such as 10ms". */
	public String getAllowed() {
		return this.allowed;
	}

}
