package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a running process's CPU time and memory from {@code /proc} (Linux), and its heap
 * after a full collection through {@code jcmd}: measured from outside, so that every
 * configuration, with or without an agent, is measured the same way.
 */
final class ProcessMeter {

	private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

	private static final Path PROC = Path.of("/proc");

	private final long pid;

	private final double ticksPerSecond;

	ProcessMeter(long pid) {
		this.pid = pid;
		this.ticksPerSecond = clockTicksPerSecond();
	}

	/** CPU time (user and system) of the whole process so far, in seconds. */
	double cpuSeconds() throws IOException {
		return ticks(PROC.resolve(Long.toString(this.pid)).resolve("stat")) / this.ticksPerSecond;
	}

	/**
	 * CPU time of the process's threads of the given name so far, in seconds (the kernel
	 * keeps the first 15 characters of a thread's name).
	 */
	double threadCpuSeconds(String name) throws IOException {
		String comm = (name.length() > 15) ? name.substring(0, 15) : name;
		return threadCpuSeconds((threadName) -> threadName.equals(comm));
	}

	/**
	 * CPU time of the process's threads whose names (the kernel's 15 characters) start
	 * with {@code prefix}, in seconds.
	 */
	double threadCpuSecondsStartingWith(String prefix) throws IOException {
		return threadCpuSeconds((threadName) -> threadName.startsWith(prefix));
	}

	private double threadCpuSeconds(java.util.function.Predicate<String> names) throws IOException {
		long ticks = 0;
		try (Stream<Path> tasks = Files.list(PROC.resolve(Long.toString(this.pid)).resolve("task"))) {
			for (Path task : tasks.toList()) {
				try {
					String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
					String threadName = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					if (names.test(threadName)) {
						ticks += ticks(stat);
					}
				}
				catch (NoSuchFileException ex) {
					// The thread ended while the list was read.
				}
			}
		}
		return ticks / this.ticksPerSecond;
	}

	/**
	 * CPU time so far of the process's live threads, in seconds, by {@link ThreadGroup}
	 * (from the thread names the kernel keeps). A thread that ended is no longer counted,
	 * so take the difference of two readings over a phase whose threads live throughout
	 * (a pool's workers).
	 */
	Map<ThreadGroup, Double> cpuSecondsByThreadGroup() throws IOException {
		Map<ThreadGroup, Double> seconds = new EnumMap<>(ThreadGroup.class);
		for (ThreadGroup group : ThreadGroup.values()) {
			seconds.put(group, 0.0);
		}
		try (Stream<Path> tasks = Files.list(PROC.resolve(Long.toString(this.pid)).resolve("task"))) {
			for (Path task : tasks.toList()) {
				try {
					String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
					String threadName = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					seconds.merge(ThreadGroup.of(threadName), ticks(stat) / this.ticksPerSecond, Double::sum);
				}
				catch (NoSuchFileException ex) {
					// The thread ended while the list was read.
				}
			}
		}
		return seconds;
	}

	/** Peak resident set size ({@code VmHWM}), in bytes. */
	long peakRssBytes() throws IOException {
		for (String line : Files.readAllLines(PROC.resolve(Long.toString(this.pid)).resolve("status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
			}
		}
		throw new IOException("no VmHWM in /proc/" + this.pid + "/status");
	}

	/** Runs a full collection, then reads the heap in use, in bytes. */
	long heapAfterGcBytes(Path jcmd) throws IOException, InterruptedException {
		run(jcmd, "GC.run");
		String info = run(jcmd, "GC.heap_info");
		Matcher used = HEAP_USED.matcher(info);
		if (!used.find()) {
			throw new IOException("jcmd GC.heap_info printed no heap use: " + info);
		}
		return Long.parseLong(used.group(1)) * 1024;
	}

	private String run(Path jcmd, String command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(jcmd.toString(), Long.toString(this.pid), command)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		// A hang guard: jcmd answers in about a second.
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IOException("jcmd " + command + " failed: " + output);
		}
		return output;
	}

	private static long ticks(Path stat) throws IOException {
		return ticks(Files.readString(stat, StandardCharsets.US_ASCII));
	}

	/**
	 * utime + stime: fields 14 and 15 of a stat line, counted after the command name's
	 * parenthesis.
	 */
	private static long ticks(String stat) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private static double clockTicksPerSecond() {
		try {
			Process process = new ProcessBuilder("getconf", "CLK_TCK").start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
			if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
				return Double.parseDouble(output);
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Linux's USER_HZ is 100 nearly everywhere.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return 100;
	}

	/**
	 * What a thread of the sample works for, told by its name (the kernel keeps 15
	 * characters): so that the CPU a profiler adds to request threads (its hooks, its
	 * signals' handlers) is told apart from its own threads' and from the JVM's.
	 */
	enum ThreadGroup {

		/**
		 * Tomcat's threads ({@code http-nio-<port>-exec-*}, its poller and acceptor: the
		 * kernel's 15 characters do not tell them apart) and the carriers of virtual
		 * threads, which run the requests when Tomcat starts a virtual thread per
		 * request.
		 */
		REQUESTS("requests"),

		/** ddprof's own threads ({@code ddprof-*}). */
		DDPROF("ddprof"),

		/** The garbage collector's threads. */
		GC("GC"),

		/** The JIT compilers' threads. */
		JIT("JIT"),

		/**
		 * Everything else: agents' threads, Tomcat's acceptor and poller, the VM thread,
		 * ...
		 */
		OTHER("other");

		private final String label;

		ThreadGroup(String label) {
			this.label = label;
		}

		/** The report's name for the group. */
		String label() {
			return this.label;
		}

		static ThreadGroup of(String threadName) {
			String name = threadName.toLowerCase(Locale.ROOT);
			if (name.startsWith("http-nio-") || name.startsWith("forkjoinpool-")) {
				return REQUESTS;
			}
			if (name.startsWith("ddprof-")) {
				return DDPROF;
			}
			if (name.startsWith("gc thread") || name.startsWith("g1 ") || name.startsWith("gc ")) {
				return GC;
			}
			if (name.startsWith("c1 compilerthre") || name.startsWith("c2 compilerthre")) {
				return JIT;
			}
			return OTHER;
		}

	}

	/**
	 * The load averages over 1, 5 and 15 minutes, as {@code /proc/loadavg} gives them.
	 */
	static List<String> loadAverage() {
		try {
			String[] fields = Files.readString(PROC.resolve("loadavg")).trim().split(" ");
			return List.of(fields[0], fields[1], fields[2]);
		}
		catch (IOException ex) {
			return List.of("?", "?", "?");
		}
	}

}
