package io.ddprof.spring.tracing;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The tracing bridge with Brave: scopes come from the {@link ProfilingScopeDecorator} and
 * the Observation handler.
 */
class TracerBridgeBraveTests extends AbstractTracerBridgeTests {

	TracerBridgeBraveTests() {
		super(AutoConfigurations.of(BraveAutoConfiguration.class));
	}

	@Override
	ApplicationContextRunner prepare(ApplicationContextRunner runner) {
		return runner;
	}

}
