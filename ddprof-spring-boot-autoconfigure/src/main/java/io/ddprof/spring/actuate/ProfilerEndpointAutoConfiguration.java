package io.ddprof.spring.actuate;

import io.ddprof.Profiler;
import io.ddprof.spring.autoconfigure.DdprofAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Auto-configuration of {@code /actuator/profiler}, present when the application has
 * Actuator and a {@link Profiler}, and the endpoint is available (exposed over HTTP: by
 * default it is not).
 */
@AutoConfiguration(after = DdprofAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Profiler.class)
@ConditionalOnAvailableEndpoint(endpoint = ProfilerEndpoint.class, exposure = EndpointExposure.WEB)
public final class ProfilerEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProfilerEndpoint profilerEndpoint(Profiler profiler) {
		return new ProfilerEndpoint(profiler);
	}

	/** Names downloads with {@code Content-Disposition} in Spring MVC applications. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(ResponseBodyAdvice.class)
	static class ServletDownloadConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DumpFileNameAdvice profilerDumpFileNameAdvice() {
			return new DumpFileNameAdvice();
		}

	}

}
