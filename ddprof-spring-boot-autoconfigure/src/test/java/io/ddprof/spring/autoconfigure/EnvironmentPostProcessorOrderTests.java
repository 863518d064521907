package io.ddprof.spring.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import io.ddprof.spring.tracing.ReactorContextPropagationEnvironmentPostProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order in which Boot runs ddprof's environment post-processors: after its config
 * data, then the Datadog variables (which feed {@code ddprof.enabled}), the OpenTelemetry
 * and Pyroscope variables, and last the Reactor default, which reads
 * {@code ddprof.enabled}.
 */
class EnvironmentPostProcessorOrderTests {

	@Test
	void shouldEachHaveAPlaceOfTheirOwnAfterConfigData() {
		assertThat(List.of(ConfigDataEnvironmentPostProcessor.ORDER, DatadogVariablesEnvironmentPostProcessor.ORDER,
				PipelineVariablesEnvironmentPostProcessor.ORDER,
				ReactorContextPropagationEnvironmentPostProcessor.ORDER))
			.isSorted()
			.doesNotHaveDuplicates();
	}

	@Test
	void shouldRunInThatOrderAsBootLoadsThem() {
		// Loaded from spring.factories and sorted as Boot's
		// EnvironmentPostProcessorApplicationListener does.
		ArgumentResolver arguments = ArgumentResolver.of(DeferredLogFactory.class, (DeferredLogFactory) Supplier::get)
			.and(ConfigurableBootstrapContext.class, new DefaultBootstrapContext());
		List<EnvironmentPostProcessor> postProcessors = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(EnvironmentPostProcessor.class, arguments);
		AnnotationAwareOrderComparator.sort(postProcessors);
		List<Class<?>> types = postProcessors.stream().<Class<?>>map(Object::getClass).toList();
		assertThat(types).containsSubsequence(ConfigDataEnvironmentPostProcessor.class,
				DatadogVariablesEnvironmentPostProcessor.class, PipelineVariablesEnvironmentPostProcessor.class,
				ReactorContextPropagationEnvironmentPostProcessor.class);
	}

}
