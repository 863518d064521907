package io.ddprof.spring.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.ddprof.Profiler;
import io.ddprof.config.DatadogVariables;
import io.ddprof.config.IgnoredVariable;
import io.ddprof.config.InvalidSettingException;
import io.ddprof.config.PipelineVariables;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.config.SettingValues;
import io.ddprof.config.Settings;
import io.ddprof.export.Exporter;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.spring.web.WebClientUploadTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of ddprof: the {@link ProfilerSettings} bound from {@code ddprof.*}
 * (and the {@code DD_*} variables beneath them), the {@link Profiler}, and the lifecycle
 * that starts it after the context has been refreshed and flushes it when the context
 * closes. Nothing is configured when {@code ddprof.enabled} (or
 * {@code DD_PROFILING_ENABLED} beneath it) is false; see
 * {@link OnDdprofEnabledCondition}.
 */
@AutoConfiguration
@Conditional(OnDdprofEnabledCondition.class)
@EnableConfigurationProperties(DdprofProperties.class)
public final class DdprofAutoConfiguration {

	private static final Log problemLog = LogFactory.getLog("io.ddprof");

	@Bean
	@ConditionalOnMissingBean
	ProfilerSettings ddprofSettings(DdprofProperties properties, Environment environment) {
		List<IgnoredVariable> ignored = new ArrayList<>(
				DatadogVariablesEnvironmentPostProcessor.ignoredVariables(environment));
		// DD_PROFILING_AGENTLESS=true with no API key anywhere: uploads go to the agent,
		// and the service starts.
		if (properties.isAgentless() && !StringUtils.hasText(properties.getApiKey())
				&& DatadogVariablesEnvironmentPostProcessor.fromDatadogVariables(environment, "ddprof.agentless")) {
			IgnoredVariable agentless = DatadogVariables
				.agentlessWithoutApiKey(environment.getProperty("ddprof.agentless", "true"));
			problemLog.warn("ddprof: " + agentless.message());
			ignored.add(agentless);
		}
		return settings(properties, environment.getProperty("spring.application.name"),
				DatadogVariablesEnvironmentPostProcessor.datadogTagKeys(environment), List.copyOf(ignored))
			.build();
	}

	/**
	 * The profiler's settings from the properties, some of which may have come from
	 * Datadog's variables; {@link ProfilerSettings.Builder#build()} checks them.
	 * @param properties the bound {@code ddprof.*} properties
	 * @param applicationName {@code spring.application.name}, the service name when
	 * neither {@code ddprof.service} nor {@code DD_SERVICE} gives one; may be
	 * {@code null}
	 * @param datadogTagKeys the tag keys that came from {@code DD_TAGS} or
	 * {@code DD_PROFILING_TAGS}, which keep dd-trace-java's looser rules; the others are
	 * the user's and are checked
	 * @param ignoredVariables the Datadog variables that could not be used, for status
	 * @throws InvalidSettingException for a tag key of the user's that is not allowed
	 */
	static ProfilerSettings.Builder settings(DdprofProperties properties, @Nullable String applicationName,
			Set<String> datadogTagKeys, List<IgnoredVariable> ignoredVariables) {
		properties.getTags()
			.keySet()
			.stream()
			.filter((key) -> !datadogTagKeys.contains(key))
			.forEach((key) -> SettingValues.checkTagKey(Settings.TAGS.key(), key, key));
		ProfilerSettings.Builder builder = ProfilerSettings.builder().ignoredVariables(ignoredVariables);
		// Keys that always have a value pass a null on (always()), so that the builder
		// names the key;
		// the others keep the builder's default when unset.
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::isEnabled).to(builder::enabled);
		map.from(() -> StringUtils.hasText(properties.getService()) ? properties.getService() : applicationName)
			.whenHasText()
			.to(builder::service);
		map.from(properties::getEnv).to(builder::env);
		map.from(properties::getVersion).to(builder::version);
		map.from(properties::getTags).to(builder::tags);
		map.from(properties::getStartDelay).always().to(builder::startDelay);
		map.from(properties::getEngine).always().to(builder::engine);
		DdprofProperties.Cpu cpu = properties.getCpu();
		map.from(cpu::isEnabled).to(builder::cpuEnabled);
		map.from(cpu::getInterval).always().to(builder::cpuInterval);
		DdprofProperties.Wall wall = properties.getWall();
		map.from(wall::isEnabled).to(builder::wallEnabled);
		map.from(wall::getInterval).always().to(builder::wallInterval);
		map.from(wall::isContextFilter).to(builder::wallContextFilter);
		map.from(wall::getThreadsPerTick).to(builder::wallThreadsPerTick);
		DdprofProperties.Alloc alloc = properties.getAlloc();
		map.from(alloc::isEnabled).to(builder::allocEnabled);
		map.from(alloc::getInterval).as(DataSize::toBytes).to(builder::allocInterval);
		map.from(alloc::getSamplesPerSecond).to(builder::allocSamplesPerSecond);
		map.from(properties.getLiveHeap()::isEnabled).to(builder::liveHeapEnabled);
		DdprofProperties.Lock lock = properties.getLock();
		map.from(lock::isEnabled).to(builder::lockEnabled);
		map.from(lock::getThreshold).always().to(builder::lockThreshold);
		map.from(properties::getStackDepth).to(builder::stackDepth);
		DdprofProperties.Upload upload = properties.getUpload();
		map.from(upload::isEnabled).to(builder::uploadEnabled);
		map.from(upload::getPeriod).always().to(builder::uploadPeriod);
		map.from(upload::getTimeout).always().to(builder::uploadTimeout);
		map.from(upload::getCompression).always().to(builder::compression);
		map.from(upload::getQueueSize).to(builder::queueSize);
		map.from(properties.getAgent()::getUrl).as(URI::toString).to(builder::agentUrl);
		map.from(() -> properties.isAgentless() && !DatadogVariables.agentlessSetAside(ignoredVariables))
			.to(builder::agentless);
		map.from(properties::getApiKey).to(builder::apiKey);
		map.from(properties::getSite).always().to(builder::site);
		DdprofProperties.Local local = properties.getLocal();
		map.from(local::getDirectory).to(builder::localDirectory);
		map.from(local::getMaxSize).always().as(DdprofAutoConfiguration::bytes).to(builder::localMaxSize);
		DdprofProperties.History history = properties.getHistory();
		map.from(history::getMaxWindows).to(builder::historyMaxWindows);
		map.from(history::getMaxSize).always().as(DdprofAutoConfiguration::bytes).to(builder::historyMaxSize);
		map.from(properties::getTempDirectory).to(builder::tempDirectory);
		DdprofProperties.Otlp otlp = properties.getOtlp();
		map.from(otlp::getEnabled).to(builder::otlpEnabled);
		map.from(otlp::getEndpoint).to(builder::otlpEndpoint);
		map.from(otlp::getHeaders).to(builder::otlpHeaders);
		map.from(otlp::getTimeout).always().to(builder::otlpTimeout);
		map.from(otlp::getCompression)
			.as((compression) -> PipelineVariables.parseGzip(Settings.OTLP_COMPRESSION.key(), compression))
			.to(builder::otlpGzip);
		DdprofProperties.Pyroscope pyroscope = properties.getPyroscope();
		map.from(pyroscope::getEnabled).to(builder::pyroscopeEnabled);
		map.from(pyroscope::getUrl).to(builder::pyroscopeUrl);
		map.from(pyroscope::getTenantId).to(builder::pyroscopeTenantId);
		map.from(pyroscope.getBasicAuth()::getUsername).to(builder::pyroscopeBasicAuthUsername);
		map.from(pyroscope.getBasicAuth()::getPassword).to(builder::pyroscopeBasicAuthPassword);
		map.from(pyroscope::getAuthToken).to(builder::pyroscopeAuthToken);
		return builder;
	}

	// An unset size reads as zero, so that the builder's check names the key.
	private static long bytes(@Nullable DataSize size) {
		return (size != null) ? size.toBytes() : 0;
	}

	// No destroy method: the lifecycle stops the profiler, within the shutdown phase's
	// timeout;
	// an inferred close() would wait for a hanging flush a second time.
	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	Profiler ddprofProfiler(ProfilerSettings settings, ApplicationContext context, ObjectProvider<Exporter> exporters,
			ObjectProvider<UploadTransport> uploadTransport) {
		// The context's class loader is where the application's async-profiler lives;
		// without
		// it the profiler falls back to the JDK Flight Recorder and says why in its
		// status.
		Profiler profiler = new Profiler(settings, context.getClassLoader());
		// Through the application's log rather than java.util.logging, which the JDK
		// resets at the
		// start of a JVM shutdown: what goes wrong while the last window is flushed must
		// show.
		profiler.problems().logTo(problemLog::warn);
		exporters.orderedStream().forEach(profiler::addExporter);
		uploadTransport.ifAvailable(profiler::useUploadTransport);
		// spring.threads.virtual.enabled on Java 21+: requests run on virtual threads,
		// which only
		// the JDK Flight Recorder samples as themselves (see
		// Profiler#servedOnVirtualThreads).
		profiler.servedOnVirtualThreads(Threading.VIRTUAL.isActive(context.getEnvironment()));
		return profiler;
	}

	@Bean
	@ConditionalOnMissingBean
	ProfilerLifecycle ddprofLifecycle(Profiler profiler) {
		return new ProfilerLifecycle(profiler);
	}

	/**
	 * Uploads with a {@code WebClient} of ddprof's own: on Reactor Netty where it is
	 * present, which reaches the agent's Unix socket, else on the JDK's HTTP client. The
	 * application's {@code WebClient.Builder} beans (several, load-balanced, filtered)
	 * neither matter to it nor see its requests. An {@link UploadTransport} bean of the
	 * application's replaces it.
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
