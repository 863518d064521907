package io.ddprof.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ddprof.config.InvalidSettingException;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link InvalidSettingFailureAnalyzer}.
 */
class InvalidSettingFailureAnalyzerTests {

	@Test
	void shouldShowTheValueAsWrittenAndWhereItWasSet() {
		StandardEnvironment environment = environment(Map.of("ddprof.upload.period", "-5"));
		InvalidSettingException invalid = new InvalidSettingException("ddprof.upload.period", "-5000ms",
				"expected a positive duration such as 10ms or 60s");
		FailureAnalysis analysis = new InvalidSettingFailureAnalyzer(environment)
			.analyze(new BeanCreationException("ddprofSettings", "failed", invalid));
		assertThat(analysis.getDescription()).startsWith("Invalid value '-5' for ddprof.upload.period.")
			.contains("Property: ddprof.upload.period")
			.contains("Value: \"-5\"")
			.contains("Origin: \"ddprof.upload.period\" from property source \"application\"")
			.contains("Allowed: expected a positive duration such as 10ms or 60s");
		assertThat(analysis.getAction()).isEqualTo(
				"Update ddprof.upload.period (set in \"ddprof.upload.period\" from property source \"application\")"
						+ " to a positive duration such as 10ms or 60s, or remove it to use the default.");
		assertThat(analysis.getCause()).isInstanceOf(BeanCreationException.class);
	}

	@Test
	void shouldNeverShowTheApiKey() {
		StandardEnvironment environment = environment(Map.of("ddprof.api-key", "s3cr3t-k3y"));
		InvalidSettingException invalid = new InvalidSettingException("ddprof.api-key", "s3cr3t-k3y",
				"expected 32 hexadecimal digits");
		FailureAnalysis analysis = new InvalidSettingFailureAnalyzer(environment).analyze(invalid);
		assertThat(analysis.getDescription()).contains("Invalid value '<hidden>' for ddprof.api-key")
			.doesNotContain("s3cr3t");
		assertThat(analysis.getAction()).doesNotContain("s3cr3t");
	}

	@Test
	void shouldSayWhatIsMissingForAgentlessWithoutApiKey() {
		InvalidSettingException invalid = new InvalidSettingException("ddprof.api-key", "",
				"an API key is required when ddprof.agentless=true (set ddprof.api-key or DD_API_KEY)");
		FailureAnalysis analysis = new InvalidSettingFailureAnalyzer(environment(Map.of())).analyze(invalid);
		assertThat(analysis.getDescription()).startsWith("Invalid value '' for ddprof.api-key.");
		assertThat(analysis.getAction()).isEqualTo("Update ddprof.api-key: an API key is required when"
				+ " ddprof.agentless=true (set ddprof.api-key or DD_API_KEY).");
	}

	@Test
	void shouldIgnoreOtherFailures() {
		assertThat(new InvalidSettingFailureAnalyzer(null).analyze(new IllegalStateException("boom"))).isNull();
	}

	@Test
	void shouldBeRegisteredAheadOfBootsOwnAnalyzers() {
		// Loaded as Boot's FailureAnalyzers loads them: with these constructor arguments,
		// and
		// skipping analyzers whose library is missing (Bean Validation, here).
		ArgumentResolver arguments = ArgumentResolver.of(Environment.class, new StandardEnvironment())
			.and(BeanFactory.class, new DefaultListableBeanFactory());
		FailureHandler skipMissing = FailureHandler.logging(LogFactory.getLog(getClass()));
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, arguments, skipMissing);
		assertThat(analyzers).first().isInstanceOf(InvalidSettingFailureAnalyzer.class);
		// The bind analyzer comes next: a failure carrying both is explained by ddprof's
		// own validation.
		assertThat(analyzers).element(1).isInstanceOf(SettingBindFailureAnalyzer.class);
	}

	@Test
	void shouldExplainABindFailureCausedByTheProfilersOwnValidation() {
		// What both analyzers could explain: this one, ahead of the bind analyzer, names
		// what ddprof allows.
		StandardEnvironment environment = environment(Map.of("ddprof.upload.period", "-5"));
		BindHandler validating = new BindHandler() {

			@Override
			public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
					Object result) {
				throw new InvalidSettingException(name.toString(), result.toString(),
						"expected a positive duration such as 10ms or 60s");
			}

		};
		BindException failure = assertThatExceptionOfType(BindException.class)
			.isThrownBy(
					() -> Binder.get(environment).bind("ddprof.upload.period", Bindable.of(Duration.class), validating))
			.actual();
		FailureAnalysis analysis = new InvalidSettingFailureAnalyzer(environment).analyze(failure);
		assertThat(analysis.getDescription()).startsWith("Invalid value '-5' for ddprof.upload.period.")
			.contains("Allowed: expected a positive duration such as 10ms or 60s");
		assertThat(analysis.getCause()).isSameAs(failure);
	}

	private static StandardEnvironment environment(Map<String, Object> values) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("application", values));
		return environment;
	}

}
