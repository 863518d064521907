package io.ddprof.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.ddprof.config.Setting;
import io.ddprof.config.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the configuration metadata the annotation processor writes into the jar, which
 * IDEs show for every {@code ddprof.*} key.
 */
class ConfigurationMetadataTests {

	@Test
	void shouldDescribeEveryKey() throws IOException {
		List<String> keys = Settings.all().stream().map(Setting::key).toList();
		List<Map<String, Object>> properties = JsonPath.read(metadata(), "$.properties");
		for (String key : keys) {
			assertThat(properties).as(key)
				.filteredOn((property) -> key.equals(property.get("name")))
				.singleElement()
				.satisfies((property) -> assertThat((String) property.get("description")).as(key).isNotBlank());
		}
	}

	@Test
	void shouldGiveTheDocumentedDefaults() throws IOException {
		Object metadata = JsonPath.parse(metadata()).json();
		assertThat(defaultValue(metadata, "ddprof.enabled")).isEqualTo(true);
		assertThat(defaultValue(metadata, "ddprof.engine")).isEqualTo("auto");
		assertThat(defaultValue(metadata, "ddprof.cpu.interval")).isEqualTo("10ms");
		assertThat(defaultValue(metadata, "ddprof.wall.interval")).isEqualTo("50ms");
		assertThat(defaultValue(metadata, "ddprof.wall.threads-per-tick")).isEqualTo(16);
		assertThat(defaultValue(metadata, "ddprof.alloc.samples-per-second")).isEqualTo(200);
		assertThat(defaultValue(metadata, "ddprof.live-heap.enabled")).isEqualTo(false);
		assertThat(defaultValue(metadata, "ddprof.lock.threshold")).isEqualTo("10ms");
		assertThat(defaultValue(metadata, "ddprof.stack-depth")).isEqualTo(512);
		assertThat(defaultValue(metadata, "ddprof.upload.period")).isEqualTo("60s");
		assertThat(defaultValue(metadata, "ddprof.upload.timeout")).isEqualTo("30s");
		assertThat(defaultValue(metadata, "ddprof.upload.compression")).isEqualTo("zstd");
		assertThat(defaultValue(metadata, "ddprof.upload.queue-size")).isEqualTo(4);
		assertThat(defaultValue(metadata, "ddprof.agent.url")).isEqualTo("http://localhost:8126");
		assertThat(defaultValue(metadata, "ddprof.site")).isEqualTo("datadoghq.com");
		assertThat(defaultValue(metadata, "ddprof.local.max-size")).isEqualTo("256MB");
		assertThat(defaultValue(metadata, "ddprof.history.max-windows")).isEqualTo(15);
		assertThat(defaultValue(metadata, "ddprof.history.max-size")).isEqualTo("128MB");
	}

	@Test
	void shouldHintTheValuesOfEngineAndCompression() throws IOException {
		String metadata = metadata();
		assertThat(JsonPath.<List<String>>read(metadata, "$.hints[?(@.name == 'ddprof.engine')].values[*].value"))
			.containsExactly("auto", "async-profiler", "jfr");
		assertThat(JsonPath.<List<String>>read(metadata,
				"$.hints[?(@.name == 'ddprof.upload.compression')].values[*].value"))
			.containsExactly("zstd", "lz4", "gzip", "off");
	}

	@Test
	void shouldHoldExactlyTheKeysOfTheCatalogue() throws IOException {
		List<String> names = JsonPath.read(metadata(), "$.properties[*].name");
		assertThat(names).filteredOn((name) -> name.startsWith("ddprof."))
			.containsExactlyInAnyOrderElementsOf(Settings.all().stream().map(Setting::key).toList());
	}

	@Test
	void shouldGiveTheDefaultsOfTheCatalogue() throws IOException {
		Object metadata = JsonPath.parse(metadata()).json();
		for (Setting<?> setting : Settings.all()) {
			List<Object> values = JsonPath.read(metadata,
					"$.properties[?(@.name == '" + setting.key() + "')].defaultValue");
			boolean constant = setting.defaultValue() != null && setting.kind() != Setting.Kind.MAP
					&& setting.kind() != Setting.Kind.PATH && setting != Settings.SERVICE;
			if (constant) {
				assertThat(values).as(setting.key()).containsExactly(toMetadata(setting.defaultText()));
			}
			else if (!values.isEmpty()) {
				assertThat(values).as(setting.key()).containsExactly(setting.defaultText());
			}
		}
	}

	@Test
	void shouldHintTheValuesTheCatalogueAllows() throws IOException {
		String metadata = metadata();
		for (Setting<?> setting : Settings.all()) {
			if (!setting.allowedValues().isEmpty()) {
				assertThat(JsonPath.<List<String>>read(metadata,
						"$.hints[?(@.name == '" + setting.key() + "')].values[*].value"))
					.as(setting.key())
					.containsExactlyElementsOf(setting.allowedValues());
			}
		}
	}

	// The metadata writes numbers and booleans as JSON values, the rest as text.
	private static Object toMetadata(String text) {
		if (text.equals("true") || text.equals("false")) {
			return Boolean.valueOf(text);
		}
		return text.matches("\\d+") ? (Object) Integer.valueOf(text) : text;
	}

	private static Object defaultValue(Object metadata, String key) {
		List<Object> values = JsonPath.read(metadata, "$.properties[?(@.name == '" + key + "')].defaultValue");
		assertThat(values).as(key).hasSize(1);
		return values.get(0);
	}

	private static String metadata() throws IOException {
		String name = "/META-INF/spring-configuration-metadata.json";
		try (InputStream in = ConfigurationMetadataTests.class.getResourceAsStream(name)) {
			assertThat(in).as("spring-configuration-metadata.json on the class path").isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
