package io.ddprof.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalogue of keys: one definition each, which the builder, the resolver and the
 * docs follow.
 */
class SettingsTests {

	@Test
	void everyKeyAndEveryDatadogVariableIsDefinedOnce() {
		Set<String> keys = new HashSet<>();
		Set<String> variables = new HashSet<>();
		for (Setting<?> setting : Settings.all()) {
			assertThat(keys.add(setting.key())).as(setting.key()).isTrue();
			assertThat(setting.key()).startsWith("ddprof.");
			if (setting.datadogVariable() != null) {
				assertThat(variables.add(setting.datadogVariable())).as(setting.datadogVariable()).isTrue();
			}
		}
	}

	@Test
	void theBuilderStartsFromTheDefinedDefaults() {
		ProfilerSettings defaults = ProfilerSettings.builder().build();
		assertThat(defaults.enabled()).isEqualTo(Settings.ENABLED.defaultValue());
		assertThat(defaults.service()).isEqualTo(Settings.SERVICE.defaultValue());
		assertThat(defaults.startDelay()).isEqualTo(Settings.START_DELAY.defaultValue());
		assertThat(defaults.engine()).isEqualTo(Settings.ENGINE.defaultValue());
		assertThat(defaults.cpu().interval()).isEqualTo(Settings.CPU_INTERVAL.defaultValue());
		assertThat(defaults.wall().interval()).isEqualTo(Settings.WALL_INTERVAL.defaultValue());
		assertThat(defaults.wall().threadsPerTick()).isEqualTo(Settings.WALL_THREADS_PER_TICK.defaultValue());
		assertThat(defaults.alloc().samplesPerSecond()).isEqualTo(Settings.ALLOC_SAMPLES_PER_SECOND.defaultValue());
		assertThat(defaults.lock().threshold()).isEqualTo(Settings.LOCK_THRESHOLD.defaultValue());
		assertThat(defaults.stackDepth()).isEqualTo(Settings.STACK_DEPTH.defaultValue());
		assertThat(defaults.upload().period()).isEqualTo(Settings.UPLOAD_PERIOD.defaultValue());
		assertThat(defaults.upload().timeout()).isEqualTo(Settings.UPLOAD_TIMEOUT.defaultValue());
		assertThat(defaults.upload().compression()).isEqualTo(Settings.UPLOAD_COMPRESSION.defaultValue());
		assertThat(defaults.upload().queueSize()).isEqualTo(Settings.UPLOAD_QUEUE_SIZE.defaultValue());
		assertThat(defaults.agent().site()).isEqualTo(Settings.SITE.defaultValue());
		assertThat(defaults.local().maxSize()).isEqualTo(Settings.LOCAL_MAX_SIZE.defaultValue());
		assertThat(defaults.history().maxWindows()).isEqualTo(Settings.HISTORY_MAX_WINDOWS.defaultValue());
		assertThat(defaults.history().maxSize()).isEqualTo(Settings.HISTORY_MAX_SIZE.defaultValue());
		assertThat(defaults.tempDirectory()).isEqualTo(Settings.TEMP_DIRECTORY.defaultValue());
		assertThat(defaults.otlp().timeout()).isEqualTo(Settings.OTLP_TIMEOUT.defaultValue());
	}

	@Test
	void theResolverKnowsEveryKeyButTheMaps() {
		List<String> resolved = new java.util.ArrayList<>();
		SettingsResolver.keyNames().forEach(resolved::add);
		assertThat(resolved).containsExactlyElementsOf(Settings.all()
			.stream()
			.filter((setting) -> setting.kind() != Setting.Kind.MAP)
			.map(Setting::key)
			.toList());
	}

	@Test
	void theSettingsPageDocumentsEveryKeyAsDefined() throws IOException {
		List<String> page = Files.readAllLines(Path.of("..", "docs", "settings.md"));
		for (Setting<?> setting : Settings.all()) {
			String row = page.stream()
				.filter((line) -> line.startsWith("| `" + setting.key() + "` |"))
				.findFirst()
				.orElseThrow(() -> new AssertionError(setting.key() + " has no row in docs/settings.md"));
			if (setting.datadogVariable() != null) {
				assertThat(row).as(setting.key()).contains("`" + setting.datadogVariable() + "`");
			}
			setting.allowedValues().forEach((value) -> assertThat(row).as(setting.key()).contains("`" + value + "`"));
			if (setting.bareUnit() != null) {
				assertThat(row).as(setting.key())
					.contains("bare number: " + ((Setting.symbol(setting.bareUnit()).equals("s")) ? "seconds" : "ms"));
			}
			if (setting.defaultValue() != null && setting.kind() != Setting.Kind.TEXT
					&& setting.kind() != Setting.Kind.PATH && setting.kind() != Setting.Kind.MAP) {
				assertThat(row).as(setting.key()).contains("`" + setting.defaultText() + "`");
			}
		}
	}

	@Test
	void aFailureSaysWhatTheKeyExpects() {
		assertThat(Settings.UPLOAD_COMPRESSION.expected()).isEqualTo("expected one of zstd, lz4, gzip, off");
		assertThat(Settings.ENGINE.expected()).isEqualTo("expected one of auto, async-profiler, jfr");
		assertThat(Settings.CPU_INTERVAL.expected()).isEqualTo("expected a duration such as 10ms, 60s or PT1M");
		assertThat(Settings.HISTORY_MAX_SIZE.expected()).isEqualTo("expected a size such as 256KB or 128MB");
		assertThat(Setting.named("ddprof.api-key")).hasValueSatisfying((key) -> assertThat(key.isSecret()).isTrue());
		assertThat(Setting.named("ddprof.unknown")).isEmpty();
	}

}
