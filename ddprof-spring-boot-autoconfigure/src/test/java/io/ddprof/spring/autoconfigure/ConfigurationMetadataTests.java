package io.ddprof.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.ddprof.config.SettingsResolver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the configuration metadata the annotation processor writes into the jar, which
 * IDEs show for every {@code ddprof.*} key.
 */
class ConfigurationMetadataTests {

	@Test
	void shouldDescribeEveryKey() throws IOException {
		List<String> keys = new ArrayList<>();
		SettingsResolver.keyNames().forEach(keys::add);
		keys.add("ddprof.tags");
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
