package io.ddprof.spring.autoconfigure;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.logging.LogManager;
import java.util.stream.Stream;

import io.ddprof.Profiler;
import io.ddprof.config.ProfilerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.ddprof.spring.autoconfigure.EnvironmentInitializers.datadogVariables;
import static io.ddprof.spring.autoconfigure.EnvironmentInitializers.systemEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdprofAutoConfiguration}.
 */
class DdprofAutoConfigurationTests {

	@TempDir
	static Path temp;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DdprofAutoConfiguration.class))
		.withPropertyValues("ddprof.upload.enabled=false", "ddprof.temp-directory=" + temp);

	@Test
	void shouldSupplyBeans() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DdprofProperties.class);
			assertThat(context).hasSingleBean(ProfilerSettings.class);
			assertThat(context).hasSingleBean(Profiler.class);
			assertThat(context).hasSingleBean(ProfilerLifecycle.class);
		});
	}

	@Test
	void shouldStartTheProfilerOnceTheContextIsRefreshed() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(Profiler.class).isRunning()).isTrue();
			assertThat(context.getBean(ProfilerLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void shouldStopTheProfilerWhenTheContextCloses() {
		Profiler[] profiler = new Profiler[1];
		this.contextRunner.run((context) -> profiler[0] = context.getBean(Profiler.class));
		assertThat(profiler[0].isRunning()).isFalse();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldLogProblemsThroughTheApplicationsLogWhichTheJdkLoggingResetAtShutdownLeavesAlone(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			// What the JDK's own shutdown hook does to java.util.logging when the JVM
			// gets SIGTERM.
			LogManager.getLogManager().reset();
			try {
				context.getBean(Profiler.class).problems().report("test.stopping", "the last window could not be sent");
			}
			finally {
				LogManager.getLogManager().readConfiguration();
			}
		});
		assertThat(output).contains("ddprof: the last window could not be sent");
	}

	@Test
	void shouldNotSupplyBeansWhenDisabled() {
		this.contextRunner.withPropertyValues("ddprof.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(DdprofProperties.class);
			assertThat(context).doesNotHaveBean(Profiler.class);
			assertThat(context).doesNotHaveBean(ProfilerLifecycle.class);
		});
	}

	@Test
	void shouldNotSupplyBeansWhenDatadogVariableDisablesProfiling() {
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_ENABLED", "false")))
			.run((context) -> assertThat(context).doesNotHaveBean(Profiler.class));
	}

	@Test
	void shouldNotSupplyBeansWhenTheDdprofEnvironmentVariableDisablesProfiling() {
		this.contextRunner.withInitializer(systemEnvironment(Map.of("DDPROF_ENABLED", "off")))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Profiler.class));
	}

	@Test
	void shouldLetDdprofEnabledWinOverTheDatadogVariable() {
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_ENABLED", "false")))
			.withPropertyValues("ddprof.enabled=1")
			.run((context) -> assertThat(context).hasSingleBean(Profiler.class));
	}

	@Test
	void shouldAnalyzeAnEnabledValueThatIsNotABoolean() {
		this.contextRunner.withPropertyValues("ddprof.enabled=maybe").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid value 'maybe' for ddprof.enabled.")
				.contains("Allowed: expected true or false");
			assertThat(analysis.getAction())
				.isEqualTo("Update ddprof.enabled to true or false, or remove it to use the default.");
		});
	}

	@Test
	void shouldBackOffOnCustomProfiler() {
		this.contextRunner.withUserConfiguration(CustomProfilerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(Profiler.class);
			assertThat(context).hasBean("customProfiler");
			assertThat(context.getBean(Profiler.class).settings().service()).isEqualTo("custom");
			assertThat(context.getBean(Profiler.class).isRunning()).isTrue();
		});
	}

	@Test
	void shouldBackOffOnCustomSettings() {
		this.contextRunner.withUserConfiguration(CustomSettingsConfiguration.class)
			.run((context) -> assertThat(context.getBean(Profiler.class).settings().service()).isEqualTo("custom"));
	}

	@Test
	void shouldHonourDatadogServiceEnvVersionAndTags() {
		this.contextRunner
			.withInitializer(datadogVariables(Map.of("DD_SERVICE", "dd-service", "DD_ENV", "dd-env", "DD_VERSION",
					"dd-version", "DD_TAGS", "team:dd,region:eu")))
			.run((context) -> {
				ProfilerSettings settings = context.getBean(Profiler.class).settings();
				assertThat(settings.service()).isEqualTo("dd-service");
				assertThat(settings.env()).isEqualTo("dd-env");
				assertThat(settings.version()).isEqualTo("dd-version");
				assertThat(settings.tags()).containsOnly(Map.entry("team", "dd"), Map.entry("region", "eu"));
			});
	}

	@Test
	void shouldPreferDdprofPropertiesOverDatadogVariables() {
		this.contextRunner
			.withInitializer(datadogVariables(Map.of("DD_SERVICE", "dd-service", "DD_ENV", "dd-env", "DD_VERSION",
					"dd-version", "DD_TAGS", "team:dd,region:eu")))
			.withPropertyValues("ddprof.service=own-service", "ddprof.env=own-env", "ddprof.version=own-version",
					"ddprof.tags.team=own")
			.run((context) -> {
				ProfilerSettings settings = context.getBean(Profiler.class).settings();
				assertThat(settings.service()).isEqualTo("own-service");
				assertThat(settings.env()).isEqualTo("own-env");
				assertThat(settings.version()).isEqualTo("own-version");
				assertThat(settings.tags()).containsOnly(Map.entry("team", "own"), Map.entry("region", "eu"));
			});
	}

	@Test
	void shouldPreferDdprofEnvironmentVariablesOverDatadogVariables() {
		this.contextRunner.withInitializer(systemEnvironment(Map.of("DDPROF_SERVICE", "own-service")))
			.withInitializer(datadogVariables(Map.of("DD_SERVICE", "dd-service")))
			.run((context) -> assertThat(context.getBean(Profiler.class).settings().service())
				.isEqualTo("own-service"));
	}

	@Test
	void shouldUseTheApplicationNameAsService() {
		this.contextRunner.withPropertyValues("spring.application.name=orders")
			.run((context) -> assertThat(context.getBean(Profiler.class).settings().service()).isEqualTo("orders"));
	}

	@Test
	void shouldPreferDatadogServiceOverTheApplicationName() {
		this.contextRunner.withPropertyValues("spring.application.name=orders")
			.withInitializer(datadogVariables(Map.of("DD_SERVICE", "dd-service")))
			.run((context) -> assertThat(context.getBean(Profiler.class).settings().service()).isEqualTo("dd-service"));
	}

	@Test
	void shouldUseUnnamedJavaAppWithoutServiceNorApplicationName() {
		this.contextRunner.run((context) -> assertThat(context.getBean(Profiler.class).settings().service())
			.isEqualTo("unnamed-java-app"));
	}

	@Test
	void shouldAnalyzeValueThatDoesNotParse() {
		this.contextRunner.withPropertyValues("ddprof.cpu.interval=often").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid value 'often' for ddprof.cpu.interval.")
				.contains("Allowed: expected a duration such as 10ms, 60s or PT1M");
			assertThat(analysis.getAction())
				.isEqualTo("Update ddprof.cpu.interval (set in \"ddprof.cpu.interval\" from property source \"test\")"
						+ " to a duration such as 10ms, 60s or PT1M, or remove it to use the default.");
		});
	}

	@Test
	void shouldAnalyzeNegativeInterval() {
		this.contextRunner.withPropertyValues("ddprof.wall.interval=-50ms").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid value '-50ms' for ddprof.wall.interval.")
				.contains("Allowed: expected a positive duration such as 10ms or 60s");
			assertThat(analysis.getAction()).isEqualTo("Update ddprof.wall.interval to a positive duration"
					+ " such as 10ms or 60s, or remove it to use the default.");
		});
	}

	@Test
	void shouldAnalyzeZeroPeriod() {
		this.contextRunner.withPropertyValues("ddprof.upload.period=0s").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid value '0ms' for ddprof.upload.period.")
				.contains("Allowed: expected a positive duration such as 10ms or 60s");
			assertThat(analysis.getAction()).startsWith("Update ddprof.upload.period to a positive duration");
		});
	}

	@Test
	void shouldAnalyzeUnknownEngine() {
		this.contextRunner.withPropertyValues("ddprof.engine=perf").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid value 'perf' for ddprof.engine.")
				.contains("Allowed: expected one of auto, async-profiler, jfr");
			assertThat(analysis.getAction()).startsWith("Update ddprof.engine")
				.endsWith(" to one of auto, async-profiler, jfr, or remove it to use the default.");
		});
	}

	@Test
	void shouldAnalyzeUnknownCompression() {
		this.contextRunner.withPropertyValues("ddprof.upload.compression=brotli").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid value 'brotli' for ddprof.upload.compression.")
				.contains("Allowed: expected one of zstd, lz4, gzip, off");
			assertThat(analysis.getAction()).startsWith("Update ddprof.upload.compression")
				.endsWith(" to one of zstd, lz4, gzip, off, or remove it to use the default.");
		});
	}

	@Test
	void shouldAnalyzeUrlWithoutScheme() {
		this.contextRunner.withPropertyValues("ddprof.agent.url=agent.internal").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid value 'agent.internal' for ddprof.agent.url.")
				.contains("Allowed: expected an http:// or https:// URL with a host");
			assertThat(analysis.getAction()).startsWith("Update ddprof.agent.url to an http:// or https:// URL");
		});
	}

	@Test
	void shouldAnalyzeUrlThatDoesNotParse() {
		this.contextRunner.withPropertyValues("ddprof.agent.url=http://[::1:8126").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid value 'http://[::1:8126' for ddprof.agent.url.")
				.contains("Allowed: expected an http:// or https:// URL with a host");
		});
	}

	@Test
	void shouldStartWithDatadogTagsDdTraceJavaAccepts() {
		this.contextRunner
			.withInitializer(datadogVariables(
					Map.of("DD_PROFILING_ENABLED", "auto", "DD_TAGS", "team,1zone:a,owner:John Smith")))
			.withPropertyValues("ddprof.tags.region=eu")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ProfilerSettings settings = context.getBean(ProfilerSettings.class);
				assertThat(settings.enabled()).isTrue();
				assertThat(settings.tags()).containsOnly(Map.entry("team", ""), Map.entry("1zone", "a"),
						Map.entry("owner", "John Smith"), Map.entry("region", "eu"));
				assertThat(context.getBean(Profiler.class).isRunning()).isTrue();
			});
	}

	@Test
	void shouldStillAnalyzeATagKeyTheUserWrote() {
		this.contextRunner.withPropertyValues("ddprof.tags.1team=backend").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).startsWith("Invalid value '1team' for ddprof.tags.")
				.contains("tag keys start with a letter");
		});
	}

	@Test
	void shouldStartWithADatadogVariableItCannotUseAndShowItInStatus() {
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_UPLOAD_PERIOD", "hourly")))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ProfilerSettings settings = context.getBean(ProfilerSettings.class);
				assertThat(settings.upload().period()).hasSeconds(60);
				assertThat(context.getBean(Profiler.class).status().ignoredVariables()).singleElement()
					.satisfies((ignored) -> {
						assertThat(ignored.variable()).isEqualTo("DD_PROFILING_UPLOAD_PERIOD");
						assertThat(ignored.value()).isEqualTo("hourly");
					});
			});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldUploadToTheAgentWhenDatadogAsksForAgentlessWithoutAnApiKey(CapturedOutput output) {
		// What a Datadog-managed environment may inject: agentless on, the key left to a
		// secret never mounted.
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_AGENTLESS", "true")))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ProfilerSettings.class).agent().agentless()).isFalse();
				assertThat(context.getBean(Profiler.class).status().ignoredVariables()).singleElement()
					.satisfies((ignored) -> {
						assertThat(ignored.variable()).isEqualTo("DD_PROFILING_AGENTLESS");
						assertThat(ignored.value()).isEqualTo("true");
						assertThat(ignored.usedInstead()).contains("the Datadog agent");
					});
			});
		assertThat(output.toString().lines().filter((line) -> line.contains("DD_PROFILING_AGENTLESS='true'")))
			.singleElement()
			.asString()
			.contains("WARN")
			.contains("neither DD_API_KEY nor ddprof.api-key is set");
	}

	@Test
	void shouldUploadAgentlessWhenDatadogAsksForItWithAKeyFromEitherSide() {
		this.contextRunner
			.withInitializer(datadogVariables(Map.of("DD_PROFILING_AGENTLESS", "true", "DD_API_KEY", "k1")))
			.run((context) -> {
				assertThat(context.getBean(ProfilerSettings.class).agent().agentless()).isTrue();
				assertThat(context.getBean(Profiler.class).status().ignoredVariables()).isEmpty();
			});
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_AGENTLESS", "true")))
			.withPropertyValues("ddprof.api-key=k2")
			.run((context) -> assertThat(context.getBean(ProfilerSettings.class).agent().agentless()).isTrue());
	}

	@Test
	void shouldStillFailWhenTheUserAsksForAgentlessWithoutAnApiKey() {
		// The same request written as a ddprof key is the user's own: it fails fast, over
		// a Datadog variable too.
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_AGENTLESS", "false")))
			.withPropertyValues("ddprof.agentless=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("an API key is required when ddprof.agentless=true"));
	}

	@Test
	void shouldStartWithTheJfrEngineWhenAsyncProfilerIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("one.profiler")).run((context) -> {
			assertThat(context).hasNotFailed();
			Profiler profiler = context.getBean(Profiler.class);
			assertThat(profiler.isRunning()).isTrue();
			assertThat(profiler.status().engine()).isEqualTo("jfr");
			assertThat(profiler.status().engineReason()).contains("async-profiler");
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void shouldRecordWithTheJfrEngineWhenRequestsRunOnVirtualThreads() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			Profiler profiler = context.getBean(Profiler.class);
			assertThat(profiler.isRunning()).isTrue();
			assertThat(profiler.status().engine()).isEqualTo("jfr");
			assertThat(profiler.status().engineReason()).contains("virtual threads");
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void shouldKeepAsyncProfilerOnVirtualThreadsWhenAskedFor() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true", "ddprof.engine=async-profiler")
			.run((context) -> assertThat(context.getBean(Profiler.class).status().engine())
				.isEqualTo("async-profiler"));
	}

	@Test
	void shouldKeepAsyncProfilerOnPlatformThreads() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=false")
			.run((context) -> assertThat(context.getBean(Profiler.class).status().engine())
				.isEqualTo("async-profiler"));
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		// As Boot's FailureAnalyzers does: the first analyzer, in their order, that
		// explains the failure.
		FailureAnalysis analysis = Stream
			.<FailureAnalyzer>of(new InvalidSettingFailureAnalyzer(null), new SettingBindFailureAnalyzer())
			.map((analyzer) -> analyzer.analyze(context.getStartupFailure()))
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
		assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomProfilerConfiguration {

		@Bean
		Profiler customProfiler() {
			ProfilerSettings settings = ProfilerSettings.builder()
				.service("custom")
				.uploadEnabled(false)
				.tempDirectory(temp)
				.build();
			return new Profiler(settings, getClass().getClassLoader());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomSettingsConfiguration {

		@Bean
		ProfilerSettings customSettings() {
			return ProfilerSettings.builder().service("custom").uploadEnabled(false).tempDirectory(temp).build();
		}

	}

}
