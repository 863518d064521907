package io.ddprof.sample.reliability;

import io.ddprof.Profiler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What the reliability tests add to the sample inside its own process. The sample scans
 * {@code io.ddprof.sample}, so with the test classes on its loader path this
 * configuration and the {@link ProbeController} join it: a window tally that the profiler
 * exports to like any other exporter and that writes the profiler's final counts when it
 * closes, and {@code /probe/*} endpoints for status, heap, threads and file descriptors
 * and for the span and thread storms. Uses only what the packaged application already
 * carries.
 */
@Configuration(proxyBeanMethods = false)
public class FaultProbe {

	/**
	 * Where the tally writes the final status, as a system property or application
	 * property.
	 */
	static final String FINAL_STATUS_PROPERTY = "probe.final-status";

	@Bean
	WindowTally faultProbeWindowTally(ObjectProvider<Profiler> profiler, Environment environment) {
		// Lazily: the profiler is built with this exporter, so it cannot be injected into
		// it.
		return new WindowTally(profiler::getObject, environment.getProperty(FINAL_STATUS_PROPERTY));
	}

}
