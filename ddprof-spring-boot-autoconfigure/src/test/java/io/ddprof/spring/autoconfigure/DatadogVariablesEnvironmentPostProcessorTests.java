package io.ddprof.spring.autoconfigure;

import java.util.Map;
import java.util.function.Supplier;

import io.ddprof.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DatadogVariablesEnvironmentPostProcessor}.
 */
class DatadogVariablesEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void shouldAddDatadogVariablesAsTheLastPropertySource() {
		postProcess(Map.of("DD_SERVICE", "orders", "DD_PROFILING_UPLOAD_PERIOD", "30", "DD_TAGS", "team:backend"));
		PropertySource<?> last = this.environment.getPropertySources().stream().reduce((a, b) -> b).orElseThrow();
		assertThat(last.getName()).isEqualTo(DatadogVariablesEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
		assertThat(this.environment.getProperty("ddprof.service")).isEqualTo("orders");
		assertThat(this.environment.getProperty("ddprof.upload.period")).isEqualTo("30s");
		assertThat(this.environment.getProperty("ddprof.tags[team]")).isEqualTo("backend");
	}

	@Test
	void shouldNameTheVariableEachPropertyCameFrom() {
		postProcess(Map.of("DD_PROFILING_UPLOAD_PERIOD", "30", "DD_TAGS", "team:backend,region:eu",
				"DD_PROFILING_TAGS", "team:profiling"));
		assertThat(origin("ddprof.upload.period"))
			.hasToString("System Environment Property \"DD_PROFILING_UPLOAD_PERIOD\"");
		assertThat(origin("ddprof.tags[region]")).hasToString("System Environment Property \"DD_TAGS\"");
		assertThat(origin("ddprof.tags[team]")).hasToString("System Environment Property \"DD_PROFILING_TAGS\"");
	}

	@Test
	void shouldAddNothingWithoutDatadogVariables() {
		int before = this.environment.getPropertySources().size();
		postProcess(Map.of("LANG", "C.UTF-8"));
		assertThat(this.environment.getPropertySources().size()).isEqualTo(before);
	}

	@Test
	void shouldRejectMalformedTagsNamingTheVariable() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> postProcess(Map.of("DD_TAGS", "team:backend,region")))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("DD_TAGS"));
	}

	@Test
	void shouldReadDatadogsOneAsProfilingOn() {
		postProcess(Map.of("DD_PROFILING_ENABLED", "1"));
		assertThat(this.environment.getProperty("ddprof.enabled")).isEqualTo("true");
	}

	@Test
	void shouldReadYesAndOffAsTheBooleansTheyMean() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("ddprof.enabled", "yes")));
		postProcess(Map.of());
		assertThat(this.environment.getProperty("ddprof.enabled")).isEqualTo("true");
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("override", Map.of("ddprof.enabled", "off")));
		postProcess(Map.of());
		assertThat(this.environment.getProperty("ddprof.enabled")).isEqualTo("false");
	}

	@Test
	void shouldRejectAnEnabledValueThatIsNotABoolean() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("ddprof.enabled", "maybe")));
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> postProcess(Map.of()))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("ddprof.enabled"))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo("maybe"));
	}

	@Test
	void shouldIgnoreMalformedTagsWhenProfilingIsDisabled() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("ddprof.enabled", "false")));
		postProcess(Map.of("DD_TAGS", "team:backend,region"));
		assertThat(hasDatadogVariables()).isFalse();
	}

	@Test
	void shouldIgnoreMalformedTagsWhenDatadogVariableDisablesProfiling() {
		postProcess(Map.of("DD_PROFILING_ENABLED", "false", "DD_TAGS", "team:backend,region"));
		assertThat(hasDatadogVariables()).isFalse();
		// Profiling stays off all the same: the condition must not fall back to its default.
		assertThat(this.environment.getProperty("ddprof.enabled")).isEqualTo("false");
	}

	@Test
	void shouldBeRegistered() {
		// Boot's own post-processors, in the same file, need these constructor arguments.
		ArgumentResolver arguments = ArgumentResolver
			.of(DeferredLogFactory.class, (DeferredLogFactory) Supplier::get)
			.and(ConfigurableBootstrapContext.class, new DefaultBootstrapContext());
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(EnvironmentPostProcessor.class, arguments))
			.hasAtLeastOneElementOfType(DatadogVariablesEnvironmentPostProcessor.class);
	}

	private void postProcess(Map<String, String> variables) {
		new DatadogVariablesEnvironmentPostProcessor(variables).postProcessEnvironment(this.environment,
				new SpringApplication());
	}

	private boolean hasDatadogVariables() {
		return this.environment.getPropertySources()
			.contains(DatadogVariablesEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
	}

	@SuppressWarnings("unchecked")
	private Origin origin(String key) {
		PropertySource<?> source = this.environment.getPropertySources()
			.get(DatadogVariablesEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
		return ((OriginLookup<String>) source).getOrigin(key);
	}

}
