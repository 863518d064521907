package io.ddprof;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.config.SettingsResolver;
import io.ddprof.export.OwnerOnly;
import io.ddprof.problem.ProblemLog;

/**
 * Makes a child JVM profile itself: the parent's settings travel as {@code DDPROF_*}
 * environment variables, and {@code JAVA_TOOL_OPTIONS} gains {@code -javaagent:} with the
 * core jar, whose {@link ChildAgent} starts a {@link Profiler} before the child's
 * {@code main}. The jars the agent needs (async-profiler, compression) are passed as the
 * agent's argument, since the child's class path need not hold them.
 */
final class ChildLaunch {

	private static final String[] AGENT_CLASSES = { "io.ddprof.Profiler", "one.profiler.AsyncProfiler",
			"com.github.luben.zstd.Zstd", "net.jpountz.lz4.LZ4FrameOutputStream", "one.jfr.JfrReader" };

	private static final Map<String, Path> EXTRACTED = new HashMap<>();

	private ChildLaunch() {
	}

	static void prepare(ProcessBuilder builder, ProfilerSettings settings, ProblemLog problems) {
		List<Path> jars = new ArrayList<>();
		for (String className : AGENT_CLASSES) {
			try {
				jars.add(jarOf(Class.forName(className, false, ChildLaunch.class.getClassLoader()),
						settings.tempDirectory()));
			}
			catch (ClassNotFoundException | IOException | RuntimeException ex) {
				if (jars.isEmpty()) {
					problems.report("children", "child JVMs cannot be profiled: the ddprof-core jar was not found ("
							+ ex.getMessage() + ")");
					return;
				}
				// An optional library (compression, async-profiler) is missing: the child
				// degrades as the parent would.
			}
		}
		Map<String, String> environment = builder.environment();
		environment.putAll(variables(settings));
		String agent = "-javaagent:" + jars.get(0) + "="
				+ jars.subList(1, jars.size())
					.stream()
					.map(Path::toString)
					.collect(Collectors.joining(File.pathSeparator));
		String options = environment.getOrDefault("JAVA_TOOL_OPTIONS", "");
		if (!options.contains("-javaagent:" + jars.get(0))) {
			environment.put("JAVA_TOOL_OPTIONS", (options.isBlank() ? "" : options + " ") + agent);
		}
	}

	/** The parent's settings as the child reads them: {@code DDPROF_*} variables. */
	static Map<String, String> variables(ProfilerSettings s) {
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("ddprof.enabled", "true");
		keys.put("ddprof.service", s.service());
		keys.put("ddprof.env", s.env());
		keys.put("ddprof.version", s.version());
		// Tags ddprof.tags would refuse (a key starting with a digit, no value) can only
		// come from
		// DD_TAGS or DD_PROFILING_TAGS, which the child inherits and reads the same way.
		keys.put("ddprof.tags",
				s.tags()
					.entrySet()
					.stream()
					.filter((e) -> !e.getValue().isEmpty() && e.getKey().matches("[A-Za-z][A-Za-z0-9_./-]*"))
					.map((e) -> e.getKey() + ":" + e.getValue())
					.collect(Collectors.joining(",")));
		keys.put("ddprof.engine", s.engine().value());
		keys.put("ddprof.cpu.enabled", Boolean.toString(s.cpu().enabled()));
		keys.put("ddprof.cpu.interval", s.cpu().interval().toNanos() + "ns");
		keys.put("ddprof.wall.enabled", Boolean.toString(s.wall().enabled()));
		keys.put("ddprof.wall.interval", s.wall().interval().toNanos() + "ns");
		keys.put("ddprof.alloc.enabled", Boolean.toString(s.alloc().enabled()));
		keys.put("ddprof.alloc.interval", (s.alloc().interval() != null) ? s.alloc().interval().toString() : null);
		keys.put("ddprof.alloc.samples-per-second", Integer.toString(s.alloc().samplesPerSecond()));
		keys.put("ddprof.live-heap.enabled", Boolean.toString(s.liveHeapEnabled()));
		keys.put("ddprof.lock.enabled", Boolean.toString(s.lock().enabled()));
		keys.put("ddprof.lock.threshold", s.lock().threshold().toNanos() + "ns");
		keys.put("ddprof.stack-depth", Integer.toString(s.stackDepth()));
		keys.put("ddprof.upload.enabled", Boolean.toString(s.upload().enabled()));
		keys.put("ddprof.upload.period", s.upload().period().toMillis() + "ms");
		keys.put("ddprof.upload.timeout", s.upload().timeout().toMillis() + "ms");
		keys.put("ddprof.upload.compression", s.upload().compression().value());
		keys.put("ddprof.upload.queue-size", Integer.toString(s.upload().queueSize()));
		keys.put("ddprof.agent.url", (s.agent().url() != null) ? s.agent().url().toString() : null);
		keys.put("ddprof.agentless", Boolean.toString(s.agent().agentless()));
		keys.put("ddprof.api-key", s.agent().apiKey());
		keys.put("ddprof.site", s.agent().site());
		keys.put("ddprof.local.directory",
				(s.local().directory() != null) ? s.local().directory().toAbsolutePath().toString() : null);
		keys.put("ddprof.local.max-size", s.local().maxSize() + "B");
		keys.put("ddprof.temp-directory", s.tempDirectory().toAbsolutePath().toString());
		Map<String, String> variables = new LinkedHashMap<>();
		keys.forEach((key, value) -> {
			if (value != null && !value.isEmpty()) {
				variables.put(SettingsResolver.environmentName(key), value);
			}
		});
		return variables;
	}

	/**
	 * The jar holding {@code type}, extracted to the temp directory when it is nested in
	 * another jar.
	 */
	private static Path jarOf(Class<?> type, Path tempDirectory) throws IOException {
		CodeSource source = type.getProtectionDomain().getCodeSource();
		if (source == null || source.getLocation() == null) {
			throw new IOException("no code source for " + type.getName());
		}
		URL location = source.getLocation();
		if ("file".equals(location.getProtocol())) {
			Path path = Path.of(URI.create(location.toString()));
			if (Files.isRegularFile(path)) {
				return path;
			}
			throw new IOException(type.getName() + " is loaded from " + path + ", not from a jar");
		}
		// A jar nested in an executable jar (Spring Boot's BOOT-INF/lib): copy it out
		// once.
		String name = location.getPath().replaceAll(".*/([^/!]+\\.jar).*", "$1");
		return extract(location, name, tempDirectory);
	}

	/**
	 * Copies a nested jar out, once per process, into a directory of its own
	 * ({@code 0700}, a name nobody can guess): a jar at a predictable name in a shared
	 * temp directory could be put there first by another local user, and every child JVM
	 * would then run their code.
	 */
	static synchronized Path extract(URL location, String name, Path tempDirectory) throws IOException {
		Path extracted = EXTRACTED.get(location.toString());
		if (extracted != null && Files.isRegularFile(extracted, LinkOption.NOFOLLOW_LINKS)) {
			return extracted;
		}
		OwnerOnly.createDirectories(tempDirectory);
		Path directory = Files.createTempDirectory(tempDirectory, "ddprof-" + ProcessHandle.current().pid() + "-agent-",
				OwnerOnly.directoryAttributes(tempDirectory));
		directory.toFile().deleteOnExit();
		extracted = directory.resolve(name);
		try (InputStream in = location.openStream()) {
			Files.copy(in, extracted);
		}
		extracted.toFile().deleteOnExit();
		OwnerOnly.restrict(extracted);
		EXTRACTED.put(location.toString(), extracted);
		return extracted;
	}

}
