package io.ddprof.spring.autoconfigure;

import java.util.Map;
import java.util.function.Supplier;

import io.ddprof.config.IgnoredVariable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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
		postProcess(Map.of("DD_PROFILING_UPLOAD_PERIOD", "30", "DD_TAGS", "team:backend,region:eu", "DD_PROFILING_TAGS",
				"team:profiling"));
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
	void shouldReadTagsAsDdTraceJavaDoesNeverFailing() {
		postProcess(Map.of("DD_TAGS", "team,1zone:a,owner:John Smith", "DD_PROFILING_TAGS", "tier:web canary"));
		assertThat(this.environment.getProperty("ddprof.tags[team]")).isEmpty();
		assertThat(this.environment.getProperty("ddprof.tags[1zone]")).isEqualTo("a");
		assertThat(this.environment.getProperty("ddprof.tags[owner]")).isEqualTo("John Smith");
		assertThat(this.environment.getProperty("ddprof.tags[tier]")).isEqualTo("web");
		assertThat(this.environment.getProperty("ddprof.tags[canary]")).isEmpty();
		assertThat(DatadogVariablesEnvironmentPostProcessor.datadogTagKeys(this.environment))
			.containsExactlyInAnyOrder("team", "1zone", "owner", "tier", "canary");
		assertThat(DatadogVariablesEnvironmentPostProcessor.ignoredVariables(this.environment)).isEmpty();
	}

	@Test
	void shouldReadDatadogsAutoAsProfilingOn() {
		postProcess(Map.of("DD_PROFILING_ENABLED", "auto"));
		assertThat(this.environment.getProperty("ddprof.enabled")).isEqualTo("true");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldSetAsideAValueItCannotUseWithOneWarningAndNoSecret(CapturedOutput output) {
		postProcess(Map.of("DD_PROFILING_UPLOAD_PERIOD", "hourly", "DD_TRACE_AGENT_URL",
				"http://user:s3cret@agent host:8126", "DD_SERVICE", "orders"));
		assertThat(this.environment.getProperty("ddprof.upload.period")).isNull();
		assertThat(this.environment.getProperty("ddprof.agent.url")).isNull();
		assertThat(this.environment.getProperty("ddprof.service")).isEqualTo("orders");
		assertThat(DatadogVariablesEnvironmentPostProcessor.ignoredVariables(this.environment))
			.extracting(IgnoredVariable::variable, IgnoredVariable::value)
			.containsExactly(tuple("DD_PROFILING_UPLOAD_PERIOD", "hourly"),
					tuple("DD_TRACE_AGENT_URL", "http://<redacted>@agent host:8126"));
		assertThat(output.toString().lines().filter((line) -> line.contains("DD_PROFILING_UPLOAD_PERIOD='hourly'")))
			.singleElement()
			.asString()
			.contains("WARN")
			.contains("using the default of ddprof.upload.period (60s)");
		assertThat(output).doesNotContain("s3cret");
	}

	@Test
	void shouldReadDatadogsOneAsProfilingOn() {
		postProcess(Map.of("DD_PROFILING_ENABLED", "1"));
		assertThat(this.environment.getProperty("ddprof.enabled")).isEqualTo("true");
	}

	@Test
	void shouldLeaveTheEnabledValueTheUserWroteAsWritten() {
		// Read by the auto-configuration's condition (OnDdprofEnabledCondition), not
		// rewritten here.
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("ddprof.enabled", "yes")));
		int before = this.environment.getPropertySources().size();
		postProcess(Map.of("DD_PROFILING_ENABLED", "false"));
		assertThat(this.environment.getProperty("ddprof.enabled")).isEqualTo("yes");
		assertThat(this.environment.getPropertySources().size()).isEqualTo(before + 1);
		assertThat(this.environment.getPropertySources().iterator().next().getName()).isEqualTo("application");
	}

	@Test
	void shouldLeaveAnEnabledValueThatIsNotABooleanToTheCondition() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("ddprof.enabled", "maybe")));
		postProcess(Map.of());
		assertThat(this.environment.getProperty("ddprof.enabled")).isEqualTo("maybe");
	}

	@Test
	void shouldLetADatadogVariableThatCannotBeUsedFallToTheDefault() {
		postProcess(Map.of("DD_PROFILING_ENABLED", "perhaps"));
		assertThat(this.environment.getProperty("ddprof.enabled")).isNull();
		assertThat(DatadogVariablesEnvironmentPostProcessor.ignoredVariables(this.environment)).singleElement()
			.satisfies((ignored) -> assertThat(ignored.usedInstead()).contains("ddprof.enabled (true)"));
	}

	@Test
	void shouldBeRegistered() {
		// Boot's own post-processors, in the same file, need these constructor arguments.
		ArgumentResolver arguments = ArgumentResolver.of(DeferredLogFactory.class, (DeferredLogFactory) Supplier::get)
			.and(ConfigurableBootstrapContext.class, new DefaultBootstrapContext());
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(EnvironmentPostProcessor.class, arguments))
			.hasAtLeastOneElementOfType(DatadogVariablesEnvironmentPostProcessor.class);
	}

	private void postProcess(Map<String, String> variables) {
		new DatadogVariablesEnvironmentPostProcessor(variables).postProcessEnvironment(this.environment,
				new SpringApplication());
	}

	@SuppressWarnings("unchecked")
	private Origin origin(String key) {
		PropertySource<?> source = this.environment.getPropertySources()
			.get(DatadogVariablesEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
		return ((OriginLookup<String>) source).getOrigin(key);
	}

}
