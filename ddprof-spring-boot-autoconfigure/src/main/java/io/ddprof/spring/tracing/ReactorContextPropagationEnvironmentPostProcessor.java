package io.ddprof.spring.tracing;

import java.util.Map;

import io.ddprof.config.InvalidSettingException;
import io.ddprof.config.SettingValues;
import io.ddprof.spring.autoconfigure.DatadogVariablesEnvironmentPostProcessor;
import io.ddprof.spring.autoconfigure.PipelineVariablesEnvironmentPostProcessor;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Turns on Reactor's automatic context propagation
 * ({@code spring.reactor.context-propagation=auto}) in a reactive application with
 * Micrometer Tracing, unless the application sets the property itself. Without it, code
 * running after a thread hop ({@code publishOn}, a WebClient response) has no span in
 * scope, and its samples cannot be tied to the request. Added as the lowest-priority
 * property source, so any setting of the application wins; nothing is added when
 * {@code ddprof.enabled} (or {@code DD_PROFILING_ENABLED} beneath it) is false.
 */
public class ReactorContextPropagationEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The order of this post-processor: the lowest precedence, the last of ddprof's.
	 * After Boot's {@code ConfigDataEnvironmentPostProcessor} and every post-processor
	 * ordered ahead, so that the application's own
	 * {@code spring.reactor.context-propagation} is seen wherever it was set, and after
	 * {@link DatadogVariablesEnvironmentPostProcessor}, whose source carries
	 * {@code DD_PROFILING_ENABLED} as {@code ddprof.enabled}.
	 */
	public static final int ORDER = PipelineVariablesEnvironmentPostProcessor.ORDER + 10;

	/** Name of the property source holding the default. */
	public static final String PROPERTY_SOURCE_NAME = "ddprofReactorContextPropagation";

	static final String PROPERTY = "spring.reactor.context-propagation";

	private static final String ENABLED_PROPERTY = "ddprof.enabled";

	// Boot's Reactor auto-configuration reads the property: where Reactor is there only
	// for
	// ddprof's own upload client (a servlet application), setting it would do nothing.
	private static final String[] REQUIRED_CLASSES = { "reactor.core.publisher.Hooks",
			"org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration",
			"io.micrometer.context.ContextRegistry", "io.micrometer.tracing.Tracer" };

	private final Log logger;

	/** A post-processor that logs through Boot's deferred log. */
	public ReactorContextPropagationEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(ReactorContextPropagationEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ClassLoader classLoader = application.getClassLoader();
		for (String required : REQUIRED_CLASSES) {
			if (!ClassUtils.isPresent(required, classLoader)) {
				return;
			}
		}
		if (!ddprofEnabled(environment) || environment.containsProperty(PROPERTY)) {
			return;
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(PROPERTY, "auto")));
		this.logger.info("ddprof: setting " + PROPERTY + "=auto so that samples taken after a Reactor thread hop are "
				+ "tied to their span; set it to 'limited' to opt out");
	}

	/**
	 * {@code ddprof.enabled} as the auto-configuration's condition reads it. A value that
	 * is not a boolean adds nothing here: the condition stops start-up and the failure
	 * analysis says why.
	 */
	private static boolean ddprofEnabled(ConfigurableEnvironment environment) {
		String enabled = environment.getProperty(ENABLED_PROPERTY);
		try {
			return enabled == null || SettingValues.parseBoolean(ENABLED_PROPERTY, enabled);
		}
		catch (InvalidSettingException ex) {
			return false;
		}
	}

}
