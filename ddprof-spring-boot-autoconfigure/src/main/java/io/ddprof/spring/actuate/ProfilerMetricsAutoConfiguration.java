package io.ddprof.spring.actuate;

import io.ddprof.Profiler;
import io.ddprof.spring.autoconfigure.DdprofAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the profiler's Micrometer meters ({@link ProfilerMetrics}),
 * present when the application has Micrometer and a {@link Profiler}; Boot binds them to
 * every meter registry.
 */
@AutoConfiguration(after = DdprofAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(Profiler.class)
public final class ProfilerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProfilerMetrics profilerMetrics(Profiler profiler) {
		return new ProfilerMetrics(profiler);
	}

}
