package io.ddprof.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddprof.config.InvalidSettingException;
import io.ddprof.config.ProfilerSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PipelineVariablesEnvironmentPostProcessor}: the settings Spring builds
 * when {@code ddprof.*}, the OpenTelemetry and Pyroscope variables and Boot's OTLP
 * tracing properties meet, first hit wins in that order.
 */
class PipelineVariablesEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void shouldBeOffWithoutAnEndpoint() {
		ProfilerSettings settings = settings(Map.of());
		assertThat(settings.otlp().enabled()).isFalse();
		assertThat(settings.pyroscope().enabled()).isFalse();
	}

	@Test
	void shouldTurnOtlpOnFromTheProfilesEndpointVariable() {
		ProfilerSettings settings = settings(Map.of("OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT",
				"http://collector:4318/v1development/profiles", "OTEL_EXPORTER_OTLP_HEADERS", "api-key=abc%3D%3D"));
		assertThat(settings.otlp().enabled()).isTrue();
		assertThat(settings.otlp().endpoint()).isEqualTo(URI.create("http://collector:4318/v1development/profiles"));
		assertThat(settings.otlp().headers()).containsExactly(Map.entry("api-key", "abc=="));
	}

	@Test
	void shouldNotTurnOtlpOnFromTheGenericEndpointVariable() {
		ProfilerSettings settings = settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));
		assertThat(settings.otlp().enabled()).isFalse();
		application("ddprof.otlp.enabled", "true");
		settings = settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));
		assertThat(settings.otlp().enabled()).isTrue();
		assertThat(settings.otlp().endpoint()).isEqualTo(URI.create("http://collector:4318/v1development/profiles"));
	}

	@Test
	void shouldPreferDdprofKeysOverVariablesOverBootsTracingExport() {
		application("management.opentelemetry.tracing.export.otlp.endpoint", "http://boot-collector:4318/v1/traces");
		application("management.opentelemetry.tracing.export.otlp.timeout", "3s");
		application("management.opentelemetry.tracing.export.otlp.compression", "none");
		application("management.opentelemetry.tracing.export.otlp.headers.api-key", "from-boot");
		ProfilerSettings fromBoot = settings(Map.of());
		assertThat(fromBoot.otlp().enabled()).isFalse();
		assertThat(fromBoot.otlp().endpoint())
			.isEqualTo(URI.create("http://boot-collector:4318/v1development/profiles"));
		assertThat(fromBoot.otlp().timeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(fromBoot.otlp().gzip()).isFalse();
		assertThat(fromBoot.otlp().headers()).containsExactly(Map.entry("api-key", "from-boot"));
		ProfilerSettings fromVariables = settings(
				Map.of("OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT", "http://variable-collector:4318",
						"OTEL_EXPORTER_OTLP_TIMEOUT", "2000", "OTEL_EXPORTER_OTLP_HEADERS", "api-key=from-variable"));
		assertThat(fromVariables.otlp().enabled()).isTrue();
		assertThat(fromVariables.otlp().endpoint())
			.isEqualTo(URI.create("http://variable-collector:4318/v1development/profiles"));
		assertThat(fromVariables.otlp().timeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(fromVariables.otlp().headers()).containsExactly(Map.entry("api-key", "from-variable"));
		application("ddprof.otlp.endpoint", "http://own-collector:4318");
		application("ddprof.otlp.headers.api-key", "own");
		ProfilerSettings own = settings(Map.of("OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT", "http://variable-collector:4318",
				"OTEL_EXPORTER_OTLP_HEADERS", "api-key=from-variable,other=x"));
		assertThat(own.otlp().endpoint()).isEqualTo(URI.create("http://own-collector:4318/v1development/profiles"));
		assertThat(own.otlp().headers()).containsExactly(Map.entry("api-key", "own"));
	}

	@Test
	void shouldIgnoreBootsGrpcTracingEndpoint() {
		application("management.opentelemetry.tracing.export.otlp.endpoint", "http://collector:4317");
		application("management.opentelemetry.tracing.export.otlp.transport", "grpc");
		assertThat(settings(Map.of()).otlp().endpoint())
			.isEqualTo(URI.create("http://localhost:4318/v1development/profiles"));
	}

	@Test
	void shouldTurnPyroscopeOnFromItsVariables() {
		ProfilerSettings settings = settings(
				Map.of("PYROSCOPE_SERVER_ADDRESS", "http://pyroscope:4040", "PYROSCOPE_BASIC_AUTH_USER", "123456",
						"PYROSCOPE_BASIC_AUTH_PASSWORD", "glc_secret", "PYROSCOPE_TENANT_ID", "team-a"));
		assertThat(settings.pyroscope().enabled()).isTrue();
		assertThat(settings.pyroscope().url()).isEqualTo(URI.create("http://pyroscope:4040"));
		assertThat(settings.pyroscope().basicAuthUsername()).isEqualTo("123456");
		assertThat(settings.pyroscope().basicAuthPassword()).isEqualTo("glc_secret");
		assertThat(settings.pyroscope().tenantId()).isEqualTo("team-a");
		application("ddprof.pyroscope.url", "http://own-pyroscope:4040");
		assertThat(settings(Map.of("PYROSCOPE_SERVER_ADDRESS", "http://pyroscope:4040")).pyroscope().url())
			.isEqualTo(URI.create("http://own-pyroscope:4040"));
	}

	@Test
	void shouldIgnoreMalformedHeadersUnlessExportingProfiles() {
		assertThat(settings(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "not-a-pair")).otlp().headers()).isEmpty();
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "not-a-pair",
					"OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT", "http://collector:4318")))
			.satisfies((ex) -> {
				assertThat(ex.getKey()).isEqualTo("OTEL_EXPORTER_OTLP_HEADERS");
				assertThat(ex.getMessage()).doesNotContain("not-a-pair");
			});
	}

	private void application(String key, String value) {
		MapPropertySource application = (MapPropertySource) this.environment.getPropertySources().get("application");
		if (application == null) {
			application = new MapPropertySource("application", new java.util.LinkedHashMap<>());
			this.environment.getPropertySources().addFirst(application);
		}
		application.getSource().put(key, value);
	}

	private ProfilerSettings settings(Map<String, String> variables) {
		this.environment.getPropertySources().remove(PipelineVariablesEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
		new PipelineVariablesEnvironmentPostProcessor(variables).postProcessEnvironment(this.environment,
				new SpringApplication());
		DdprofProperties properties = Binder.get(this.environment).bindOrCreate("ddprof", DdprofProperties.class);
		return DdprofAutoConfiguration.settings(properties, "pipelines-tests", Set.of(), List.of()).build();
	}

}
