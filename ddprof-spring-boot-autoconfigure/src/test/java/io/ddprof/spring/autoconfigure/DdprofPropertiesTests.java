package io.ddprof.spring.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.ddprof.config.Compression;
import io.ddprof.config.EngineChoice;
import io.ddprof.config.InvalidSettingException;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.config.Setting;
import io.ddprof.config.Settings;
import io.ddprof.config.SettingsResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdprofProperties}.
 */
class DdprofPropertiesTests {

	@Test
	void defaultsAreTheProfilerSettingsDefaults() {
		assertThat(settings(new DdprofProperties(), null)).isEqualTo(ProfilerSettings.builder().build());
	}

	@Test
	void everyKeyIsBoundAsDocumented() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("ddprof.enabled", "false");
		values.put("ddprof.service", "orders");
		values.put("ddprof.env", "prod");
		values.put("ddprof.version", "1.2.3");
		values.put("ddprof.tags.team", "backend");
		values.put("ddprof.start-delay", "5s");
		values.put("ddprof.engine", "jfr");
		values.put("ddprof.cpu.enabled", "false");
		values.put("ddprof.cpu.interval", "11ms");
		values.put("ddprof.wall.enabled", "false");
		values.put("ddprof.wall.interval", "51ms");
		values.put("ddprof.wall.context-filter", "false");
		values.put("ddprof.wall.threads-per-tick", "8");
		values.put("ddprof.alloc.enabled", "false");
		values.put("ddprof.alloc.interval", "512KB");
		values.put("ddprof.alloc.samples-per-second", "100");
		values.put("ddprof.live-heap.enabled", "true");
		values.put("ddprof.lock.enabled", "false");
		values.put("ddprof.lock.threshold", "20ms");
		values.put("ddprof.stack-depth", "256");
		values.put("ddprof.upload.enabled", "false");
		values.put("ddprof.upload.period", "30s");
		values.put("ddprof.upload.timeout", "10s");
		values.put("ddprof.upload.compression", "gzip");
		values.put("ddprof.upload.queue-size", "8");
		values.put("ddprof.agent.url", "http://agent.internal:9126");
		values.put("ddprof.agentless", "true");
		values.put("ddprof.api-key", "0123456789abcdef");
		values.put("ddprof.site", "datadoghq.eu");
		values.put("ddprof.local.directory", "profiles");
		values.put("ddprof.local.max-size", "64MB");
		values.put("ddprof.history.max-windows", "5");
		values.put("ddprof.history.max-size", "32MB");
		values.put("ddprof.temp-directory", "work");
		ProfilerSettings settings = settings(bind(values), "ignored");
		assertThat(settings.enabled()).isFalse();
		assertThat(settings.service()).isEqualTo("orders");
		assertThat(settings.env()).isEqualTo("prod");
		assertThat(settings.version()).isEqualTo("1.2.3");
		assertThat(settings.tags()).containsExactly(Map.entry("team", "backend"));
		assertThat(settings.startDelay()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.engine()).isEqualTo(EngineChoice.JFR);
		assertThat(settings.cpu()).isEqualTo(new ProfilerSettings.Cpu(false, Duration.ofMillis(11)));
		assertThat(settings.wall()).isEqualTo(new ProfilerSettings.Wall(false, Duration.ofMillis(51), false, 8));
		assertThat(settings.alloc()).isEqualTo(new ProfilerSettings.Alloc(false, 512L * 1024, 100));
		assertThat(settings.liveHeapEnabled()).isTrue();
		assertThat(settings.lock()).isEqualTo(new ProfilerSettings.Lock(false, Duration.ofMillis(20)));
		assertThat(settings.stackDepth()).isEqualTo(256);
		assertThat(settings.upload()).isEqualTo(new ProfilerSettings.Upload(false, Duration.ofSeconds(30),
				Duration.ofSeconds(10), Compression.GZIP, 8));
		assertThat(settings.agent().url()).isEqualTo(URI.create("http://agent.internal:9126"));
		assertThat(settings.agent().agentless()).isTrue();
		assertThat(settings.agent().apiKey()).isEqualTo("0123456789abcdef");
		assertThat(settings.agent().site()).isEqualTo("datadoghq.eu");
		assertThat(settings.local()).isEqualTo(new ProfilerSettings.Local(Path.of("profiles"), 64L << 20));
		assertThat(settings.history()).isEqualTo(new ProfilerSettings.History(5, 32L << 20));
		assertThat(settings.tempDirectory()).isEqualTo(Path.of("work"));
	}

	@Test
	void bareNumbersAreSecondsForDelaysAndPeriodsAndMillisecondsForIntervalsAndTheOtlpTimeout() {
		ProfilerSettings settings = settings(bind(Map.of("ddprof.start-delay", "3", "ddprof.upload.period", "5",
				"ddprof.upload.timeout", "7", "ddprof.cpu.interval", "9", "ddprof.wall.interval", "49",
				"ddprof.lock.threshold", "12", "ddprof.alloc.interval", "262144", "ddprof.otlp.timeout", "2500")),
				null);
		assertThat(settings.startDelay()).isEqualTo(Duration.ofSeconds(3));
		assertThat(settings.upload().period()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.upload().timeout()).isEqualTo(Duration.ofSeconds(7));
		assertThat(settings.cpu().interval()).isEqualTo(Duration.ofMillis(9));
		assertThat(settings.wall().interval()).isEqualTo(Duration.ofMillis(49));
		assertThat(settings.lock().threshold()).isEqualTo(Duration.ofMillis(12));
		assertThat(settings.alloc().interval()).isEqualTo(262144L);
		assertThat(settings.otlp().timeout()).isEqualTo(Duration.ofMillis(2500));
	}

	@Test
	void enumsAreBoundFromTheValuesUsersWrite() {
		assertThat(bind(Map.of("ddprof.engine", "async-profiler")).getEngine()).isEqualTo(EngineChoice.ASYNC_PROFILER);
		assertThat(bind(Map.of("ddprof.engine", "ASYNC_PROFILER")).getEngine()).isEqualTo(EngineChoice.ASYNC_PROFILER);
		assertThat(bind(Map.of("ddprof.engine", "auto")).getEngine()).isEqualTo(EngineChoice.AUTO);
		assertThat(bind(Map.of("ddprof.upload.compression", "off")).getUpload().getCompression())
			.isEqualTo(Compression.OFF);
		assertThat(bind(Map.of("ddprof.upload.compression", "lz4")).getUpload().getCompression())
			.isEqualTo(Compression.LZ4);
	}

	@Test
	void serviceFallsBackToTheApplicationName() {
		assertThat(settings(new DdprofProperties(), "orders").service()).isEqualTo("orders");
	}

	@Test
	void blankServiceFallsBackToTheApplicationName() {
		assertThat(settings(bind(Map.of("ddprof.service", " ")), "orders").service()).isEqualTo("orders");
	}

	@Test
	void serviceWinsOverTheApplicationName() {
		assertThat(settings(bind(Map.of("ddprof.service", "billing")), "orders").service()).isEqualTo("billing");
	}

	@Test
	void serviceIsUnnamedJavaAppWithoutServiceOrApplicationName() {
		assertThat(settings(new DdprofProperties(), " ").service()).isEqualTo("unnamed-java-app");
	}

	@Test
	void unsetAllocationIntervalIsAdaptive() {
		assertThat(settings(new DdprofProperties(), null).alloc().interval()).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("keysWithTextForms")
	void springAndPlainCoreReadEveryKeyAlike(String key) {
		Setting<?> setting = Setting.named(key).orElseThrow();
		String text = sample(setting);
		Object spring = outcome(() -> settings(bind(Map.of(key, text)), null));
		Object core = outcome(() -> new SettingsResolver(Map.of(key, text)::get, (name) -> null).resolve().build());
		assertThat(spring).as(key + "=" + text).isEqualTo(core);
	}

	static Stream<String> keysWithTextForms() {
		// The maps are written differently on each side (ddprof.tags.team=backend against
		// team:backend).
		return Settings.all().stream().filter((setting) -> setting.kind() != Setting.Kind.MAP).map(Setting::key);
	}

	// A value each key takes, or rejects for another key's sake (agentless without a
	// key): a bare
	// number where a duration or size can be one, so that both sides must agree on its
	// unit.
	private static String sample(Setting<?> setting) {
		return switch (setting.kind()) {
			case BOOLEAN -> Boolean.toString(!Boolean.TRUE.equals(setting.defaultValue()));
			case INTEGER -> Integer.toString((Integer) setting.defaultValue() + 1);
			case DURATION, SIZE -> "7";
			case CHOICE -> setting.allowedValues().get(setting.allowedValues().size() - 1);
			case URL -> "http://sample.test:1234";
			case PATH -> "sample-directory";
			default -> "sample";
		};
	}

	// The settings made, or the key that stopped them.
	private static Object outcome(Supplier<ProfilerSettings> settings) {
		try {
			return settings.get();
		}
		catch (InvalidSettingException ex) {
			return "rejected " + ex.getKey() + ": " + ex.getAllowed();
		}
	}

	private static ProfilerSettings settings(DdprofProperties properties, String applicationName) {
		return DdprofAutoConfiguration.settings(properties, applicationName, Set.of(), List.of()).build();
	}

	private static DdprofProperties bind(Map<String, String> values) {
		Binder binder = new Binder(new MapConfigurationPropertySource(values));
		return binder.bind("ddprof", Bindable.ofInstance(new DdprofProperties())).get();
	}

}
