package io.ddprof.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Datadog variable whose value ddprof cannot use: the service starts all the same, with
 * {@code usedInstead}, and status shows this. A Datadog variable is often written by
 * Datadog's own tooling rather than by the user, so it never stops start-up the way a
 * {@code ddprof.*} key does. The value is masked where it can hold a secret.
 *
 * @param variable the variable, such as {@code DD_PROFILING_UPLOAD_PERIOD}
 * @param value its value, masked where it can hold a secret
 * @param reason why it cannot be used
 * @param usedInstead what ddprof uses instead
 */
public record IgnoredVariable(String variable, String value, String reason, String usedInstead) {

	private static final Pattern URL_CREDENTIALS = Pattern.compile("(?<=://)[^/@\\s]*@");

	/** An ignored variable, its value masked where it can hold a secret. */
	public static IgnoredVariable of(String variable, String value, String reason, String usedInstead) {
		return new IgnoredVariable(variable, mask(variable, value), reason, usedInstead);
	}

	/**
	 * The value as it may be shown: an API key not at all, credentials in a URL replaced.
	 */
	public static String mask(String variable, String value) {
		String name = variable.toUpperCase(Locale.ROOT);
		if (name.contains("API_KEY") || name.contains("APP_KEY") || name.contains("SECRET") || name.contains("PASSWORD")
				|| name.contains("TOKEN")) {
			return "<redacted>";
		}
		return URL_CREDENTIALS.matcher(value).replaceAll("<redacted>@");
	}

	/** The WARN line: the variable, its (masked) value, why, and what is used instead. */
	public String message() {
		return this.variable + "='" + this.value + "' cannot be used (" + this.reason + "); using " + this.usedInstead;
	}

}
