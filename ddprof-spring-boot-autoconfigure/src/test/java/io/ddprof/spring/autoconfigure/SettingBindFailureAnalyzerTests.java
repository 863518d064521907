package io.ddprof.spring.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.ddprof.config.Compression;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SettingBindFailureAnalyzer}.
 */
class SettingBindFailureAnalyzerTests {

	private final SettingBindFailureAnalyzer analyzer = new SettingBindFailureAnalyzer();

	@Test
	void shouldLeaveBindFailuresOfOtherPropertiesToBoot() {
		StandardEnvironment environment = environment(Map.of("server.port", "eighty"));
		BindException failure = bindFailure(environment, "server.port", Integer.class);
		assertThat(this.analyzer.analyze(failure)).isNull();
	}

	@Test
	void shouldAnalyzeBindFailuresOfDdprofProperties() {
		StandardEnvironment environment = environment(Map.of("ddprof.stack-depth", "deep"));
		BindException failure = bindFailure(environment, "ddprof.stack-depth", Integer.class);
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis.getDescription()).startsWith("Invalid value 'deep' for ddprof.stack-depth.")
			.contains("Allowed: expected a whole number");
	}

	@Test
	void shouldNameWhereTheValueWasSetAndTheValuesDdprofAccepts() {
		StandardEnvironment environment = environment(Map.of("ddprof.upload.compression", "brotli"));
		BindException failure = bindFailure(environment, "ddprof.upload.compression", Compression.class);
		FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("wrapped", failure));
		assertThat(analysis.getDescription()).startsWith("Invalid value 'brotli' for ddprof.upload.compression.")
			.contains("Origin: \"ddprof.upload.compression\" from property source \"application\"")
			.contains("Allowed: expected one of zstd, lz4, gzip, off");
		assertThat(analysis.getAction()).endsWith(" to one of zstd, lz4, gzip, off, or remove it to use the default.");
		assertThat(analysis.getCause()).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void shouldDescribeDurationsAsDdprofWritesThem() {
		StandardEnvironment environment = environment(Map.of("ddprof.cpu.interval", "often"));
		BindException failure = bindFailure(environment, "ddprof.cpu.interval", Duration.class);
		assertThat(this.analyzer.analyze(failure).getDescription())
			.contains("Allowed: expected a duration such as 10ms, 60s or PT1M");
	}

	@Test
	void shouldIgnoreOtherFailures() {
		assertThat(this.analyzer.analyze(new IllegalStateException("boom"))).isNull();
	}

	private static StandardEnvironment environment(Map<String, Object> values) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("application", values));
		return environment;
	}

	private static BindException bindFailure(StandardEnvironment environment, String name, Class<?> type) {
		return assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> Binder.get(environment).bind(name, Bindable.of(type)))
			.actual();
	}

}
