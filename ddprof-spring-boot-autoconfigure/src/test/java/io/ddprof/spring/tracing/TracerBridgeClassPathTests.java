package io.ddprof.spring.tracing;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracing bridge with only one of the tracer bridges on the class path, as
 * applications have it: the test class path holds both, so each case runs in a class
 * loader of its own without the jars of the other tracer.
 */
class TracerBridgeClassPathTests {

	@Test
	void startsWithBraveAndWithoutOpenTelemetry() throws Exception {
		assertThat(startIsolated("brave", "opentelemetry-", "micrometer-tracing-bridge-otel-",
				"spring-boot-micrometer-tracing-opentelemetry-", "spring-boot-opentelemetry-"))
			.isEqualTo(
					"started: BraveConfiguration BraveSpans DdprofTracingAutoConfiguration ProfilingObservationHandler "
							+ "ProfilingScopeDecorator SpanScopes TracerAttachment");
	}

	@Test
	void startsWithOpenTelemetryAndWithoutBrave() throws Exception {
		assertThat(startIsolated("otel", "brave-", "micrometer-tracing-bridge-brave-",
				"spring-boot-micrometer-tracing-brave-"))
			.isEqualTo(
					"started: DdprofTracingAutoConfiguration OtelConfiguration OtelSpans ProfilingObservationHandler "
							+ "ProfilingScopeListener SpanScopes TracerAttachment");
	}

	private static String startIsolated(String bridge, String... excludedJarPrefixes) throws Exception {
		List<URL> urls = new ArrayList<>();
		for (String entry : testClassPath()) {
			String name = Path.of(entry).getFileName().toString();
			boolean excluded = false;
			for (String prefix : excludedJarPrefixes) {
				excluded |= name.startsWith(prefix) && name.endsWith(".jar");
			}
			if (!excluded) {
				urls.add(url(entry));
			}
		}
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
				ClassLoader.getPlatformClassLoader())) {
			thread.setContextClassLoader(loader);
			return (String) loader.loadClass(IsolatedBridge.class.getName())
				.getMethod("start", String.class)
				.invoke(null, bridge);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	private static List<String> testClassPath() {
		// Surefire runs tests from a manifest-only jar and names the real class path
		// here.
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		return List.of(classPath.split(File.pathSeparator));
	}

	private static URL url(String entry) {
		try {
			return Path.of(entry).toUri().toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
