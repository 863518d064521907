package io.ddprof.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The records of {@link ProfilerSettings} check their own values: no public constructor,
 * not only the builder, makes settings that are not allowed.
 */
class ProfilerSettingsTests {

	private static final ProfilerSettings DEFAULTS = ProfilerSettings.builder().build();

	static Stream<Arguments> invalidParts() {
		Duration second = Duration.ofSeconds(1);
		return Stream.of(
				invalid("ddprof.cpu.interval", "expected a positive duration",
						() -> new ProfilerSettings.Cpu(true, Duration.ZERO)),
				invalid("ddprof.cpu.interval", "at most 1d", () -> new ProfilerSettings.Cpu(true, Duration.ofDays(2))),
				invalid("ddprof.wall.interval", "expected a positive duration",
						() -> new ProfilerSettings.Wall(true, Duration.ofMillis(-1), true, 16)),
				invalid("ddprof.wall.threads-per-tick", "from 1 to 1024",
						() -> new ProfilerSettings.Wall(true, second, true, 0)),
				invalid("ddprof.alloc.interval", "no value for the adaptive interval",
						() -> new ProfilerSettings.Alloc(true, 0L, 200)),
				invalid("ddprof.alloc.samples-per-second", "from 1 to 100000",
						() -> new ProfilerSettings.Alloc(true, null, 0)),
				invalid("ddprof.lock.threshold", "expected a positive duration",
						() -> new ProfilerSettings.Lock(true, null)),
				invalid("ddprof.upload.period", "at least 1s",
						() -> new ProfilerSettings.Upload(true, Duration.ofMillis(500), second, Compression.ZSTD, 4)),
				invalid("ddprof.upload.timeout", "expected a positive duration",
						() -> new ProfilerSettings.Upload(true, second, Duration.ZERO, Compression.ZSTD, 4)),
				invalid("ddprof.upload.queue-size", "from 1 to 1000",
						() -> new ProfilerSettings.Upload(true, second, second, Compression.ZSTD, 0)),
				invalid("ddprof.upload.compression", "expected one of zstd, lz4, gzip, off",
						() -> new ProfilerSettings.Upload(true, second, second, null, 4)),
				invalid("ddprof.agent.url", "expected an http:// or https:// URL",
						() -> new ProfilerSettings.Agent(URI.create("ftp://agent:8126"), false, null, "datadoghq.com")),
				invalid("ddprof.site", "expected a Datadog site host name",
						() -> new ProfilerSettings.Agent(null, false, null, "datadoghq.com/evil")),
				invalid("ddprof.api-key", "an API key is required when ddprof.agentless=true",
						() -> new ProfilerSettings.Agent(null, true, " ", "datadoghq.com")),
				invalid("ddprof.local.max-size", "expected a positive size",
						() -> new ProfilerSettings.Local(Path.of("profiles"), 0)),
				invalid("ddprof.history.max-windows", "from 0 to 10000", () -> new ProfilerSettings.History(-1, 1024)),
				invalid("ddprof.history.max-size", "expected a positive size",
						() -> new ProfilerSettings.History(15, -1)),
				invalid("ddprof.otlp.endpoint", "expected an http:// or https:// URL",
						() -> new ProfilerSettings.Otlp(true, URI.create("unix:///var/run/collector.sock"), Map.of(),
								second, true)),
				invalid("ddprof.otlp.headers", "expected HTTP header names",
						() -> new ProfilerSettings.Otlp(true,
								URI.create("http://collector:4318/v1development/profiles"), Map.of("bad name", "x"),
								second, true)),
				invalid("ddprof.otlp.timeout", "expected a positive duration", () -> new ProfilerSettings.Otlp(true,
						URI.create("http://collector:4318/v1development/profiles"), Map.of(), Duration.ZERO, true)),
				invalid("ddprof.pyroscope.url", "expected an http:// or https:// URL",
						() -> new ProfilerSettings.Pyroscope(true, null, null, null, null, null)),
				invalid("ddprof.pyroscope.basic-auth.password", "basic auth needs both",
						() -> new ProfilerSettings.Pyroscope(true, URI.create("http://pyroscope:4040"), null, "user",
								null, null)));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("invalidParts")
	void aPartRejectsAValueItsKeyDoesNotAllow(String key, String allowed, ThrowingCallable construction) {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(construction).satisfies((ex) -> {
			assertThat(ex.getKey()).isEqualTo(key);
			assertThat(ex.getAllowed()).contains(allowed);
			assertThat(ex.getMessage()).contains(key);
		});
	}

	@Test
	void theSettingsRejectAValueOfTheirOwnThatIsNotAllowed() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> copy(" ", DEFAULTS.tags(), 512, DEFAULTS.tempDirectory(), DEFAULTS.startDelay()))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("ddprof.service"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> copy("orders", Map.of("a,b", "c"), 512, DEFAULTS.tempDirectory(), DEFAULTS.startDelay()))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("ddprof.tags"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> copy("orders", Map.of(), 0, DEFAULTS.tempDirectory(), DEFAULTS.startDelay()))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("ddprof.stack-depth"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> copy("orders", Map.of(), 512, null, DEFAULTS.startDelay()))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("ddprof.temp-directory"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> copy("orders", Map.of(), 512, DEFAULTS.tempDirectory(), Duration.ofSeconds(-1)))
			.satisfies((ex) -> assertThat(ex.getAllowed()).isEqualTo("expected a duration of 0s or more"));
	}

	@Test
	void theSettingsRejectAMissingPartNamingItsKeys() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new ProfilerSettings(true, "orders", null, null, Map.of(), Duration.ZERO,
					EngineChoice.AUTO, null, DEFAULTS.wall(), DEFAULTS.alloc(), false, DEFAULTS.lock(), 512,
					DEFAULTS.upload(), DEFAULTS.agent(), DEFAULTS.local(), DEFAULTS.history(), DEFAULTS.tempDirectory(),
					DEFAULTS.otlp(), DEFAULTS.pyroscope(), List.of()))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("ddprof.cpu"));
	}

	@Test
	void validPartsMakeTheSameSettingsAsTheBuilder() {
		assertThatNoException().isThrownBy(() -> assertThat(copy(DEFAULTS.service(), DEFAULTS.tags(),
				DEFAULTS.stackDepth(), DEFAULTS.tempDirectory(), DEFAULTS.startDelay()))
			.isEqualTo(DEFAULTS));
	}

	@Test
	void theBuilderRejectsAnEngineOrCompressionLeftOut() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> ProfilerSettings.builder().engine(null).build())
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("ddprof.engine"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> ProfilerSettings.builder().compression(null).build())
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("ddprof.upload.compression"));
	}

	@Test
	void theBuilderReportsTheFirstBadKeyInTheOrderOfTheSettingsPage() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> ProfilerSettings.builder().historyMaxWindows(-1).cpuInterval(Duration.ZERO).build())
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("ddprof.cpu.interval"));
	}

	private static ProfilerSettings copy(String service, Map<String, String> tags, int stackDepth, Path tempDirectory,
			Duration startDelay) {
		return new ProfilerSettings(DEFAULTS.enabled(), service, null, null, tags, startDelay, DEFAULTS.engine(),
				DEFAULTS.cpu(), DEFAULTS.wall(), DEFAULTS.alloc(), DEFAULTS.liveHeapEnabled(), DEFAULTS.lock(),
				stackDepth, DEFAULTS.upload(), DEFAULTS.agent(), DEFAULTS.local(), DEFAULTS.history(), tempDirectory,
				DEFAULTS.otlp(), DEFAULTS.pyroscope(), DEFAULTS.ignoredVariables());
	}

	private static Arguments invalid(String key, String allowed, ThrowingCallable construction) {
		return Arguments.of(key, allowed, construction);
	}

}
