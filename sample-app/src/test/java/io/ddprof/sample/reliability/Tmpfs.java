package io.ddprof.sample.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A size-limited tmpfs mounted on a directory: a disk that really fills up. Needs root
 * and a kernel that lets this container mount; where {@code mount} is refused the row is
 * skipped (reported as such), not passed.
 */
final class Tmpfs {

	private static final List<Path> MOUNTED = new CopyOnWriteArrayList<>();

	private Tmpfs() {
	}

	/**
	 * Mounts a tmpfs of {@code size} (such as {@code 128k}) on {@code directory},
	 * creating it.
	 */
	static Path mount(Path directory, String size) throws IOException, InterruptedException {
		Files.createDirectories(directory);
		String output = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0777", "tmpfs", directory.toString());
		Assumptions.assumeTrue(output == null, () -> "cannot mount a tmpfs here: " + output);
		MOUNTED.add(directory);
		return directory;
	}

	/** Unmounts every tmpfs mounted so far. */
	static void unmountAll() throws IOException, InterruptedException {
		for (Path directory : MOUNTED) {
			String output = run("umount", "-l", directory.toString());
			if (output != null) {
				throw new IOException("could not unmount " + directory + ": " + output);
			}
			MOUNTED.remove(directory);
		}
	}

	// null on success, else what the command said.
	private static String run(String... command) throws IOException, InterruptedException {
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			return ex.getMessage();
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return command[0] + " did not return";
		}
		return (process.exitValue() == 0) ? null : output.strip() + " (exit " + process.exitValue() + ")";
	}

}
