package io.ddprof.spring.autoconfigure;

import io.ddprof.config.Setting;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;

/**
 * The analysis of a {@code ddprof.*} setting that stopped the application from starting,
 * as {@link InvalidSettingFailureAnalyzer} and {@link SettingBindFailureAnalyzer} both
 * write it: the property, the value as the user wrote it, where it was set and what is
 * allowed. The values of secrets (the API key, Pyroscope's password and token, OTLP
 * headers) are never shown.
 */
final class SettingFailureAnalysis {

	private SettingFailureAnalysis() {
	}

	static FailureAnalysis of(String key, @Nullable String value, @Nullable Origin origin, String allowed,
			Throwable failure) {
		String text = (value != null) ? value : "";
		boolean secret = Setting.named(key).map(Setting::isSecret).orElse(false);
		String shown = (secret && !text.isEmpty()) ? "<hidden>" : text;
		StringBuilder description = new StringBuilder();
		description.append("Invalid value '").append(shown).append("' for ").append(key).append('.');
		description.append(String.format("%n%n    Property: %s", key));
		description.append(String.format("%n    Value: \"%s\"", shown));
		if (origin != null) {
			description.append(String.format("%n    Origin: %s", origin));
		}
		description.append(String.format("%n    Allowed: %s", allowed));
		return new FailureAnalysis(description.toString(), action(key, origin, allowed), failure);
	}

	private static String action(String key, @Nullable Origin origin, String allowed) {
		String where = (origin != null) ? " (set in " + origin + ")" : "";
		if (!allowed.startsWith("expected ")) {
			return "Update " + key + where + ": " + allowed + ".";
		}
		String wanted = allowed.substring("expected ".length());
		return "Update " + key + where + " to " + wanted + ", or remove it to use the default.";
	}

}
