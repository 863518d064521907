package io.ddprof.spring.tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import io.ddprof.Profiler;
import io.ddprof.config.ProfilerSettings;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Starts Boot's tracing auto-configuration for one tracer bridge and the profiler's, in a
 * class loader that holds only that bridge (see {@link TracerBridgeClassPathTests}, which
 * calls {@link #start} through reflection). Names classes only as strings, so that
 * nothing of the other bridge is needed.
 */
public final class IsolatedBridge {

	private IsolatedBridge() {
	}

	/**
	 * Starts a context for {@code brave} or {@code otel}.
	 * @return {@code started:} and the simple names of the profiler's tracing beans, or
	 * {@code failed:} and the root cause
	 */
	public static String start(String bridge) throws ClassNotFoundException {
		List<String> names = new ArrayList<>(List.of(
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"));
		if (bridge.equals("brave")) {
			names.add("org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration");
		}
		else {
			names.add("org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration");
			names.add(
					"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration");
		}
		names.add(DdprofTracingAutoConfiguration.class.getName());
		List<Class<?>> classes = new ArrayList<>();
		for (String name : names) {
			classes.add(Class.forName(name, true, IsolatedBridge.class.getClassLoader()));
		}
		AtomicReference<String> result = new AtomicReference<>();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(classes.toArray(Class<?>[]::new)))
			.withBean(Profiler.class, () -> new Profiler(ProfilerSettings.builder().build()))
			.run((context) -> {
				Throwable failure = context.getStartupFailure();
				if (failure != null) {
					while (failure.getCause() != null) {
						failure = failure.getCause();
					}
					result.set("failed: " + failure);
					return;
				}
				TreeSet<String> beans = new TreeSet<>();
				for (String name : context.getBeanDefinitionNames()) {
					Class<?> type = context.getType(name);
					if (type != null && type.getPackageName().equals(IsolatedBridge.class.getPackageName())) {
						beans.add(type.getSimpleName());
					}
				}
				result.set("started: " + String.join(" ", beans));
			});
		return result.get();
	}

}
