package io.ddprof.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Plain core's settings of the open pipelines: off unless an endpoint is named, the
 * OpenTelemetry and Pyroscope variables beneath {@code ddprof.*}, and the messages of bad
 * values.
 */
class PipelineSettingsTests {

	private final Map<String, String> properties = new HashMap<>();

	private final Map<String, String> environment = new HashMap<>();

	@Test
	void bothAreOffByDefault() {
		ProfilerSettings settings = resolve();
		assertThat(settings.otlp().enabled()).isFalse();
		assertThat(settings.otlp().endpoint()).isEqualTo(URI.create("http://localhost:4318/v1development/profiles"));
		assertThat(settings.otlp().timeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.otlp().gzip()).isTrue();
		assertThat(settings.pyroscope().enabled()).isFalse();
		assertThat(settings.pyroscope().url()).isEqualTo(URI.create("http://localhost:4040"));
	}

	@Test
	void namingAnEndpointTurnsTheExportOn() {
		this.properties.put("ddprof.otlp.endpoint", "http://collector:4318");
		this.properties.put("ddprof.pyroscope.url", "http://pyroscope:4040");
		ProfilerSettings settings = resolve();
		assertThat(settings.otlp().enabled()).isTrue();
		assertThat(settings.otlp().endpoint()).isEqualTo(URI.create("http://collector:4318/v1development/profiles"));
		assertThat(settings.pyroscope().enabled()).isTrue();
	}

	@Test
	void anEndpointWithAPathIsUsedAsItIs() {
		this.properties.put("ddprof.otlp.endpoint", "https://otlp.example.com/otlp/v1development/profiles");
		assertThat(resolve().otlp().endpoint())
			.isEqualTo(URI.create("https://otlp.example.com/otlp/v1development/profiles"));
	}

	@Test
	void enabledFalseWinsOverANamedEndpoint() {
		this.properties.put("ddprof.otlp.endpoint", "http://collector:4318");
		this.properties.put("ddprof.otlp.enabled", "false");
		assertThat(resolve().otlp().enabled()).isFalse();
	}

	@Test
	void theProfilesEndpointVariableTurnsTheExportOn() {
		this.environment.put("OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT", "http://collector:4318/v1development/profiles");
		ProfilerSettings settings = resolve();
		assertThat(settings.otlp().enabled()).isTrue();
		assertThat(settings.otlp().endpoint()).isEqualTo(URI.create("http://collector:4318/v1development/profiles"));
	}

	@Test
	void theGenericEndpointVariableAloneDoesNotTurnTheExportOn() {
		this.environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://traces-collector:4318/");
		ProfilerSettings settings = resolve();
		assertThat(settings.otlp().enabled()).isFalse();
		assertThat(settings.otlp().endpoint())
			.isEqualTo(URI.create("http://traces-collector:4318/v1development/profiles"));
		this.properties.put("ddprof.otlp.enabled", "true");
		assertThat(resolve().otlp().enabled()).isTrue();
		assertThat(resolve().otlp().endpoint())
			.isEqualTo(URI.create("http://traces-collector:4318/v1development/profiles"));
	}

	@Test
	void ownEndpointWinsOverTheVariablesAndIsNotTurnedOffByTheGenericOne() {
		this.environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://traces-collector:4318");
		this.environment.put("DDPROF_OTLP_ENDPOINT", "http://profiles-collector:4318");
		ProfilerSettings settings = resolve();
		assertThat(settings.otlp().enabled()).isTrue();
		assertThat(settings.otlp().endpoint())
			.isEqualTo(URI.create("http://profiles-collector:4318/v1development/profiles"));
	}

	@Test
	void headersTimeoutAndCompressionComeFromTheProfilesVariablesFirst() {
		this.environment.put("OTEL_EXPORTER_OTLP_HEADERS", "api-key=generic");
		this.environment.put("OTEL_EXPORTER_OTLP_PROFILES_HEADERS", "api-key=abc,Authorization=Bearer%20xyz");
		this.environment.put("OTEL_EXPORTER_OTLP_TIMEOUT", "2500");
		this.environment.put("OTEL_EXPORTER_OTLP_PROFILES_COMPRESSION", "none");
		ProfilerSettings settings = resolve();
		assertThat(settings.otlp().headers()).containsExactly(Map.entry("api-key", "abc"),
				Map.entry("Authorization", "Bearer xyz"));
		assertThat(settings.otlp().timeout()).isEqualTo(Duration.ofMillis(2500));
		assertThat(settings.otlp().gzip()).isFalse();
		this.properties.put("ddprof.otlp.headers", "api-key=own");
		assertThat(resolve().otlp().headers()).containsExactly(Map.entry("api-key", "own"));
	}

	@Test
	void aBareOtlpTimeoutIsMillisecondsAsInSpringAndTheOpenTelemetryVariables() {
		this.properties.put("ddprof.otlp.timeout", "2500");
		assertThat(resolve().otlp().timeout()).isEqualTo(Duration.ofMillis(2500));
		this.properties.put("ddprof.otlp.timeout", "3s");
		assertThat(resolve().otlp().timeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void pyroscopeVariablesFillItsKeysBeneathOwnOnes() {
		this.environment.put("PYROSCOPE_SERVER_ADDRESS", "https://profiles-prod-001.grafana.net");
		this.environment.put("PYROSCOPE_BASIC_AUTH_USER", "123456");
		this.environment.put("PYROSCOPE_BASIC_AUTH_PASSWORD", "glc_secret");
		this.environment.put("PYROSCOPE_TENANT_ID", "team-a");
		ProfilerSettings settings = resolve();
		assertThat(settings.pyroscope().enabled()).isTrue();
		assertThat(settings.pyroscope().url()).isEqualTo(URI.create("https://profiles-prod-001.grafana.net"));
		assertThat(settings.pyroscope().basicAuthUsername()).isEqualTo("123456");
		assertThat(settings.pyroscope().basicAuthPassword()).isEqualTo("glc_secret");
		assertThat(settings.pyroscope().tenantId()).isEqualTo("team-a");
		assertThat(settings.toString()).doesNotContain("glc_secret");
		this.properties.put("ddprof.pyroscope.tenant-id", "team-b");
		assertThat(resolve().pyroscope().tenantId()).isEqualTo("team-b");
	}

	@Test
	void badValuesNameTheKeyAndWhatIsAllowed() {
		this.properties.put("ddprof.otlp.compression", "zstd");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::resolve)
			.withMessageContaining("ddprof.otlp.compression")
			.withMessageContaining("gzip or none");
		this.properties.clear();
		this.properties.put("ddprof.otlp.headers", "no-equals-sign-secret");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::resolve)
			.withMessageContaining("ddprof.otlp.headers")
			.withMessageNotContaining("no-equals-sign-secret");
		this.properties.clear();
		this.properties.put("ddprof.pyroscope.basic-auth.username", "123456");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::resolve)
			.withMessageContaining("ddprof.pyroscope.basic-auth.password");
		this.properties.clear();
		this.properties.put("ddprof.otlp.endpoint", "collector:4318");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::resolve)
			.withMessageContaining("ddprof.otlp.endpoint");
	}

	private ProfilerSettings resolve() {
		return new SettingsResolver(this.properties::get, this.environment::get).resolve().build();
	}

}
