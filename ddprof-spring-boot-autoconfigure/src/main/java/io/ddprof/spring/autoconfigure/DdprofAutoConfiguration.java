package io.ddprof.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.ddprof.Profiler;
import io.ddprof.config.DatadogVariables;
import io.ddprof.config.IgnoredVariable;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.Exporter;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.spring.web.WebClientUploadTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of ddprof: the {@link ProfilerSettings} bound from {@code ddprof.*}
 * (and the {@code DD_*} variables beneath them), the {@link Profiler}, and the lifecycle that
 * starts it after the context has been refreshed and flushes it when the context closes.
 * Nothing is configured when {@code ddprof.enabled} (or {@code DD_PROFILING_ENABLED} beneath it)
 * is false; see {@link OnDdprofEnabledCondition}.
 */
@AutoConfiguration
@Conditional(OnDdprofEnabledCondition.class)
@EnableConfigurationProperties(DdprofProperties.class)
public final class DdprofAutoConfiguration {

	private static final Log problemLog = LogFactory.getLog("io.ddprof");

	@Bean
	@ConditionalOnMissingBean
	ProfilerSettings ddprofSettings(DdprofProperties properties, Environment environment) {
		List<IgnoredVariable> ignored = new ArrayList<>(DatadogVariablesEnvironmentPostProcessor.ignoredVariables(environment));
		// DD_PROFILING_AGENTLESS=true with no API key anywhere: uploads go to the agent, and the service starts.
		if (properties.isAgentless() && !StringUtils.hasText(properties.getApiKey())
				&& DatadogVariablesEnvironmentPostProcessor.fromDatadogVariables(environment, "ddprof.agentless")) {
			IgnoredVariable agentless = DatadogVariables
				.agentlessWithoutApiKey(environment.getProperty("ddprof.agentless", "true"));
			problemLog.warn("ddprof: " + agentless.message());
			ignored.add(agentless);
		}
		return properties.toSettings(environment.getProperty("spring.application.name"),
				DatadogVariablesEnvironmentPostProcessor.datadogTagKeys(environment), List.copyOf(ignored));
	}

	// No destroy method: the lifecycle stops the profiler, within the shutdown phase's timeout;
	// an inferred close() would wait for a hanging flush a second time.
	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	Profiler ddprofProfiler(ProfilerSettings settings, ApplicationContext context,
			ObjectProvider<Exporter> exporters, ObjectProvider<UploadTransport> uploadTransport) {
		// The context's class loader is where the application's async-profiler lives; without
		// it the profiler falls back to the JDK Flight Recorder and says why in its status.
		Profiler profiler = new Profiler(settings, context.getClassLoader());
		// Through the application's log rather than java.util.logging, which the JDK resets at the
		// start of a JVM shutdown: what goes wrong while the last window is flushed must show.
		profiler.problems().logTo(problemLog::warn);
		exporters.orderedStream().forEach(profiler::addExporter);
		uploadTransport.ifAvailable(profiler::useUploadTransport);
		// spring.threads.virtual.enabled on Java 21+: requests run on virtual threads, which only
		// the JDK Flight Recorder samples as themselves (see Profiler#servedOnVirtualThreads).
		profiler.servedOnVirtualThreads(Threading.VIRTUAL.isActive(context.getEnvironment()));
		return profiler;
	}

	@Bean
	@ConditionalOnMissingBean
	ProfilerLifecycle ddprofLifecycle(Profiler profiler) {
		return new ProfilerLifecycle(profiler);
	}

	/**
	 * Uploads with a {@code WebClient} of ddprof's own: on Reactor Netty where it is present, which
	 * reaches the agent's Unix socket, else on the JDK's HTTP client. The application's
	 * {@code WebClient.Builder} beans (several, load-balanced, filtered) neither matter to it nor see
	 * its requests. An {@link UploadTransport} bean of the application's replaces it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebClient.class)
	static class WebClientUploadConfiguration {

		@Bean
		@ConditionalOnMissingBean(UploadTransport.class)
		WebClientUploadTransport ddprofUploadTransport(ProfilerSettings settings) {
			return new WebClientUploadTransport(settings.upload().timeout());
		}

	}

}
