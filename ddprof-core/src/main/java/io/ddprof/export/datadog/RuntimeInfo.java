package io.ddprof.export.datadog;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * What the upload says about this JVM: the {@code tags_profiler} runtime tags, the
 * {@code process_tags} and the {@code Datadog-Meta-*} headers. Gathered once, on the
 * upload thread, since looking up the host name can wait on DNS.
 *
 * @param host the host name
 * @param pid the process id
 * @param runtimeId a UUID that names this JVM for its whole life
 * @param javaVersion {@code java.version}
 * @param vmName {@code java.vm.name}
 * @param vmVendor {@code java.vm.vendor}
 * @param containerId the container id read from {@code /proc/self/cgroup}, or
 * {@code null}
 * @param processTags {@code entrypoint.*} tags, comma-separated, or an empty string
 * @param ddprofVersion the version of ddprof
 */
record RuntimeInfo(String host, long pid, String runtimeId, String javaVersion, String vmName, String vmVendor,
		@Nullable String containerId, String processTags, String ddprofVersion) {

	private static final String RUNTIME_ID = UUID.randomUUID().toString();

	private static final String UUID_PATTERN = "[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}";

	// Docker and containerd ids are 64 hex digits, ECS Fargate's are 32 hex digits and a
	// task number.
	private static final Pattern CONTAINER_ID = Pattern
		.compile("(?:.*[-/])?(" + UUID_PATTERN + "|[0-9a-f]{64}|[0-9a-f]{32}-\\d+)(?:\\.scope)?");

	private static final Pattern CGROUP_LINE = Pattern.compile("\\d+:[^:]*:(.+)");

	private static volatile @Nullable RuntimeInfo current;

	/** This JVM's facts, gathered on the first call. */
	static RuntimeInfo current() {
		RuntimeInfo info = current;
		if (info == null) {
			info = new RuntimeInfo(hostName(), ProcessHandle.current().pid(), RUNTIME_ID,
					System.getProperty("java.version", ""), System.getProperty("java.vm.name", ""),
					System.getProperty("java.vm.vendor", ""), containerId(readCgroup()),
					processTags(System.getProperty("sun.java.command"), System.getProperty("user.dir")),
					readDdprofVersion());
			current = info;
		}
		return info;
	}

	/**
	 * The container id in the text of {@code /proc/self/cgroup}: the last path segment of
	 * a cgroup that looks like a container id, or {@code null}.
	 */
	static @Nullable String containerId(@Nullable String cgroup) {
		if (cgroup == null) {
			return null;
		}
		String found = null;
		for (String line : cgroup.split("\n")) {
			Matcher matcher = CGROUP_LINE.matcher(line.trim());
			if (matcher.matches()) {
				String path = matcher.group(1);
				String last = path.substring(path.lastIndexOf('/') + 1);
				Matcher id = CONTAINER_ID.matcher(last);
				if (id.matches()) {
					found = id.group(1);
				}
			}
		}
		return found;
	}

	/**
	 * The process tags Datadog uses to tell processes of one service apart, from the
	 * launch command ({@code sun.java.command}) and the working directory.
	 */
	static String processTags(String javaCommand, String userDir) {
		Map<String, String> tags = new LinkedHashMap<>();
		String entry = (javaCommand != null && !javaCommand.isBlank()) ? javaCommand.trim().split("\\s+")[0] : null;
		if (entry != null && entry.endsWith(".jar")) {
			Path jar = Path.of(entry);
			Path dir = jar.toAbsolutePath().getParent();
			if (dir != null && dir.getFileName() != null) {
				tags.put("entrypoint.basedir", dir.getFileName().toString());
			}
			String name = jar.getFileName().toString();
			tags.put("entrypoint.name", name.substring(0, name.length() - ".jar".length()));
			tags.put("entrypoint.type", "jar");
		}
		else if (entry != null) {
			tags.put("entrypoint.name", entry);
			tags.put("entrypoint.type", "class");
		}
		if (userDir != null && !userDir.isBlank()) {
			Path dir = Path.of(userDir).getFileName();
			if (dir != null) {
				tags.put("entrypoint.workdir", dir.toString());
			}
		}
		return tags.entrySet()
			.stream()
			.map((tag) -> tag.getKey() + ":" + normalize(tag.getValue()))
			.collect(Collectors.joining(","));
	}

	// Datadog tag values are lower case; anything outside its tag alphabet becomes '_'.
	private static String normalize(String value) {
		return value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.:/\\-]", "_");
	}

	private static @Nullable String readCgroup() {
		try {
			Path cgroup = Path.of("/proc/self/cgroup");
			return Files.isReadable(cgroup) ? Files.readString(cgroup, StandardCharsets.UTF_8) : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static String hostName() {
		String fromEnv = System.getenv("HOSTNAME");
		if (fromEnv != null && !fromEnv.isBlank()) {
			return fromEnv.trim();
		}
		try {
			Path kernel = Path.of("/proc/sys/kernel/hostname");
			if (Files.isReadable(kernel)) {
				String name = Files.readString(kernel, StandardCharsets.UTF_8).trim();
				if (!name.isEmpty()) {
					return name;
				}
			}
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	private static String readDdprofVersion() {
		try (InputStream in = RuntimeInfo.class.getResourceAsStream("version.properties")) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				String version = properties.getProperty("version");
				if (version != null && !version.isBlank() && !version.startsWith("${")) {
					return version.trim();
				}
			}
		}
		catch (IOException ex) {
			// falls back to the manifest below
		}
		String fromManifest = RuntimeInfo.class.getPackage().getImplementationVersion();
		return (fromManifest != null) ? fromManifest : "unknown";
	}

}
