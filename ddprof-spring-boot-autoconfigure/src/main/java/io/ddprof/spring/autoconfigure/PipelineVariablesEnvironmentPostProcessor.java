package io.ddprof.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ddprof.config.InvalidSettingException;
import io.ddprof.config.PipelineVariables;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Adds what OpenTelemetry and Pyroscope users already configure as {@code ddprof.otlp.*}
 * and {@code ddprof.pyroscope.*} properties of the lowest priority: first their
 * environment variables ({@code OTEL_EXPORTER_OTLP_*}, {@code PYROSCOPE_*}, see
 * {@link PipelineVariables}), then Boot's OTLP tracing export
 * ({@code management.opentelemetry.tracing.export.otlp.*}, or the older
 * {@code management.otlp.tracing.*}) for the endpoint, headers, timeout and compression.
 * So a {@code ddprof.*} key wins over the variables, which win over Boot's conventions.
 * An endpoint taken from Boot's tracing export, like {@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * never turns the profiles export on by itself.
 */
public class PipelineVariablesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The order of this post-processor: after Boot's
	 * {@code ConfigDataEnvironmentPostProcessor}, so that what the user wrote
	 * ({@code ddprof.otlp.*}, Boot's OTLP tracing export) is already visible, and right
	 * after {@link DatadogVariablesEnvironmentPostProcessor}, so that both sources of
	 * lowest priority always stack the same way (this one beneath; no key is in both).
	 */
	public static final int ORDER = DatadogVariablesEnvironmentPostProcessor.ORDER + 10;

	/** Name of the property source holding the translated variables and conventions. */
	public static final String PROPERTY_SOURCE_NAME = "ddprofPipelineVariables";

	private static final String[] BOOT_OTLP_PREFIXES = { "management.opentelemetry.tracing.export.otlp.",
			"management.otlp.tracing." };

	private static final String TRACES_PATH = "/v1/traces";

	private final Map<String, String> variables;

	/** A post-processor reading the process's environment variables. */
	public PipelineVariablesEnvironmentPostProcessor() {
		this(System.getenv());
	}

	PipelineVariablesEnvironmentPostProcessor(Map<String, String> variables) {
		this.variables = variables;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, String> settings = new LinkedHashMap<>(
				PipelineVariables.toSettings(this.variables::get, environment::containsProperty));
		addBootConventions(environment, settings);
		Map<String, Object> source = new LinkedHashMap<>();
		if (!hasOwnHeaders(environment)) {
			String variable = settings.remove(PipelineVariables.HEADERS_KEY);
			Map<String, String> headers = (variable != null) ? headers(environment, variable)
					: bootHeaders(environment);
			headers.forEach((name, value) -> source.put(PipelineVariables.HEADERS_KEY + "[" + name + "]", value));
		}
		settings.remove(PipelineVariables.HEADERS_KEY);
		source.putAll(settings);
		if (!source.isEmpty()) {
			environment.getPropertySources()
				.addLast(new OriginTrackedMapPropertySource(PROPERTY_SOURCE_NAME, source, true));
		}
	}

	private void addBootConventions(ConfigurableEnvironment environment, Map<String, String> settings) {
		for (String prefix : BOOT_OTLP_PREFIXES) {
			String endpoint = environment.getProperty(prefix + "endpoint");
			String transport = environment.getProperty(prefix + "transport", "http");
			if (endpoint != null && !endpoint.isBlank() && transport.equalsIgnoreCase("http")
					&& !settings.containsKey("ddprof.otlp.endpoint")
					&& !environment.containsProperty("ddprof.otlp.endpoint")) {
				String base = endpoint.trim();
				if (base.endsWith(TRACES_PATH)) {
					base = base.substring(0, base.length() - TRACES_PATH.length());
				}
				settings.put("ddprof.otlp.endpoint", PipelineVariables.signalEndpoint(base));
				settings.put("ddprof.otlp.enabled", "false");
			}
			copy(environment, settings, prefix + "timeout", "ddprof.otlp.timeout");
			copy(environment, settings, prefix + "compression", "ddprof.otlp.compression");
		}
	}

	private static Map<String, String> bootHeaders(ConfigurableEnvironment environment) {
		for (String prefix : BOOT_OTLP_PREFIXES) {
			Map<String, String> headers = Binder.get(environment)
				.bind(prefix + "headers", Bindable.mapOf(String.class, String.class))
				.orElse(Map.of());
			if (!headers.isEmpty()) {
				return headers;
			}
		}
		return Map.of();
	}

	// A malformed header list must not stop an application that does not export profiles.
	private Map<String, String> headers(ConfigurableEnvironment environment, String headers) {
		try {
			return PipelineVariables.parseHeaders(PipelineVariables.HEADERS_KEY, headers);
		}
		catch (InvalidSettingException ex) {
			boolean exporting = Boolean.parseBoolean(environment.getProperty("ddprof.otlp.enabled",
					String.valueOf(environment.containsProperty("ddprof.otlp.endpoint")
							|| this.variables.get("OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT") != null)));
			if (exporting) {
				throw new InvalidSettingException(
						(this.variables.get("OTEL_EXPORTER_OTLP_PROFILES_HEADERS") != null)
								? "OTEL_EXPORTER_OTLP_PROFILES_HEADERS" : "OTEL_EXPORTER_OTLP_HEADERS",
						"<hidden>", ex.getAllowed());
			}
			return Map.of();
		}
	}

	private static boolean hasOwnHeaders(ConfigurableEnvironment environment) {
		return Binder.get(environment)
			.bind(PipelineVariables.HEADERS_KEY, Bindable.mapOf(String.class, String.class))
			.isBound();
	}

	private static void copy(ConfigurableEnvironment environment, Map<String, String> settings, String property,
			String key) {
		String value = environment.getProperty(property);
		if (value != null && !value.isBlank() && !settings.containsKey(key)) {
			settings.put(key, value.trim());
		}
	}

}
