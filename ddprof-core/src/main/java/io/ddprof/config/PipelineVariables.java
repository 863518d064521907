package io.ddprof.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The variables OpenTelemetry and Pyroscope users already set, translated into
 * {@code ddprof.otlp.*} and {@code ddprof.pyroscope.*} keys in ddprof's notation:
 * {@code OTEL_EXPORTER_OTLP_[PROFILES_]ENDPOINT}, {@code _HEADERS}, {@code _TIMEOUT},
 * {@code _COMPRESSION} (the profiles-specific one first),
 * {@code PYROSCOPE_SERVER_ADDRESS}, {@code PYROSCOPE_BASIC_AUTH_USER},
 * {@code PYROSCOPE_BASIC_AUTH_PASSWORD}, {@code PYROSCOPE_AUTH_TOKEN},
 * {@code PYROSCOPE_TENANT_ID}. Plain core consults them after system properties and
 * {@code DDPROF_*}; the Spring module adds them below every property source, so a
 * {@code ddprof.*} key wins over them. The generic {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * gives the endpoint but does not turn the export on, since services set it for their
 * traces.
 */
public final class PipelineVariables {

	/**
	 * The key of the headers, whose value is {@code name=value} pairs separated by
	 * commas.
	 */
	public static final String HEADERS_KEY = "ddprof.otlp.headers";

	private PipelineVariables() {
	}

	/**
	 * Maps the variables found through {@code env} to {@code ddprof.*} keys and values.
	 * @param env looks up an environment variable
	 * @param userSet whether the user set a {@code ddprof.*} key (which these never
	 * replace)
	 */
	public static Map<String, String> toSettings(UnaryOperator<String> env, Predicate<String> userSet) {
		Map<String, String> settings = new LinkedHashMap<>();
		String profilesEndpoint = text(env.apply("OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT"));
		String baseEndpoint = text(env.apply("OTEL_EXPORTER_OTLP_ENDPOINT"));
		if (profilesEndpoint != null) {
			settings.put("ddprof.otlp.endpoint", profilesEndpoint);
		}
		else if (baseEndpoint != null && !userSet.test("ddprof.otlp.endpoint")) {
			settings.put("ddprof.otlp.endpoint", signalEndpoint(baseEndpoint));
			// The traces' collector: used once the export is turned on, never turning it
			// on.
			settings.put("ddprof.otlp.enabled", "false");
		}
		String headers = first(env, "OTEL_EXPORTER_OTLP_PROFILES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS");
		if (headers != null) {
			settings.put(HEADERS_KEY, headers);
		}
		String timeout = first(env, "OTEL_EXPORTER_OTLP_PROFILES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT");
		if (timeout != null) {
			// OpenTelemetry's timeouts are milliseconds.
			settings.put("ddprof.otlp.timeout", timeout.matches("\\d+") ? timeout + "ms" : timeout);
		}
		String compression = first(env, "OTEL_EXPORTER_OTLP_PROFILES_COMPRESSION", "OTEL_EXPORTER_OTLP_COMPRESSION");
		if (compression != null) {
			settings.put("ddprof.otlp.compression", compression);
		}
		copy(env, settings, "PYROSCOPE_SERVER_ADDRESS", "ddprof.pyroscope.url");
		copy(env, settings, "PYROSCOPE_BASIC_AUTH_USER", "ddprof.pyroscope.basic-auth.username");
		copy(env, settings, "PYROSCOPE_BASIC_AUTH_PASSWORD", "ddprof.pyroscope.basic-auth.password");
		copy(env, settings, "PYROSCOPE_AUTH_TOKEN", "ddprof.pyroscope.auth-token");
		copy(env, settings, "PYROSCOPE_TENANT_ID", "ddprof.pyroscope.tenant-id");
		return settings;
	}

	/**
	 * The profiles URL under an OTLP/HTTP base URL, as OpenTelemetry builds signal URLs.
	 */
	public static String signalEndpoint(String base) {
		String trimmed = base.trim();
		return (trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed)
				+ ProfilerSettings.Otlp.SIGNAL_PATH;
	}

	/**
	 * Parses OpenTelemetry's header list: {@code name=value} pairs separated by commas,
	 * values percent-encoded ({@code api-key=abc,Authorization=Bearer%20xyz}).
	 * @throws InvalidSettingException for a pair without a name or an {@code =}
	 */
	public static Map<String, String> parseHeaders(String key, String text) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (String pair : text.split(",")) {
			if (pair.isBlank()) {
				continue;
			}
			int equals = pair.indexOf('=');
			if (equals <= 0 || pair.substring(0, equals).isBlank()) {
				throw new InvalidSettingException(key, "<" + text.length() + " characters>",
						"expected name=value pairs separated by commas, such as api-key=abc,team=payments");
			}
			headers.put(pair.substring(0, equals).trim(),
					URLDecoder.decode(pair.substring(equals + 1).trim(), StandardCharsets.UTF_8));
		}
		return headers;
	}

	/**
	 * Parses {@code ddprof.otlp.compression}: {@code true} for {@code gzip},
	 * {@code false} for {@code none}.
	 */
	public static boolean parseGzip(String key, String text) {
		return switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "gzip" -> true;
			case "none", "off", "" -> false;
			default -> throw new InvalidSettingException(key, text, "expected gzip or none");
		};
	}

	private static @Nullable String first(UnaryOperator<String> env, String specific, String generic) {
		String value = text(env.apply(specific));
		return (value != null) ? value : text(env.apply(generic));
	}

	private static void copy(UnaryOperator<String> env, Map<String, String> settings, String variable, String key) {
		String value = text(env.apply(variable));
		if (value != null) {
			settings.put(key, value);
		}
	}

	private static @Nullable String text(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}
