package io.ddprof.sample.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.ddprof.sample.LoadDriver;
import io.ddprof.testing.FaultyIntake;
import io.ddprof.testing.JavaProcess;
import tools.jackson.databind.JsonNode;

/**
 * One row of the fault table as it ran: the application's process, its agent, its
 * directory, and what was measured. Rows' actions and checks read it.
 */
final class FaultRun {

	final FaultScenario scenario;

	final Path directory;

	final Path local;

	final JavaProcess app;

	final FaultyIntake intake;

	LoadDriver.Report warmUp;

	LoadDriver.Report load;

	JsonNode before;

	JsonNode after;

	JsonNode live;

	JsonNode result;

	JsonNode finalStatus;

	Duration shutdown;

	FaultRun(FaultScenario scenario, Path directory, Path local, JavaProcess app, FaultyIntake intake) {
		this.scenario = scenario;
		this.directory = directory;
		this.local = local;
		this.app = app;
		this.intake = intake;
	}

	/**
	 * A number in the final status (at shutdown) by its path, such as
	 * {@code upload.sent}; 0 when absent.
	 */
	long last(String path) {
		return number(this.finalStatus, path);
	}

	/** A number in the status read while the application ran, after the load. */
	long running(String path) {
		return number(this.live, path);
	}

	/** Windows dropped by the upload, by reason, at shutdown. */
	Map<String, Long> dropped() {
		Map<String, Long> dropped = new TreeMap<>();
		JsonNode node = (this.finalStatus != null) ? this.finalStatus.path("upload").path("dropped") : null;
		if (node != null && node.isObject()) {
			for (Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator(); fields.hasNext();) {
				Map.Entry<String, JsonNode> field = fields.next();
				dropped.put(field.getKey(), field.getValue().asLong());
			}
		}
		return dropped;
	}

	/**
	 * All windows an open-pipeline upload ({@code otlp}, {@code pyroscope}) dropped at
	 * shutdown.
	 */
	long pipelineDroppedTotal(String name) {
		JsonNode node = (this.finalStatus != null) ? this.finalStatus.path("pipelines").path(name).path("dropped")
				: null;
		long total = 0;
		if (node != null && node.isObject()) {
			for (Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator(); fields.hasNext();) {
				total += fields.next().getValue().asLong();
			}
		}
		return total;
	}

	/** All windows the upload dropped at shutdown, whatever the reason. */
	long droppedTotal() {
		return dropped().values().stream().mapToLong(Long::longValue).sum();
	}

	/** Lines of the application's output containing {@code text}. */
	long logLines(String text) {
		return this.app.countLines(text);
	}

	/** Warnings of the application's output containing {@code text}. */
	long warnings(String text) {
		return this.app.logLines().stream().filter((line) -> line.contains(" WARN ") && line.contains(text)).count();
	}

	/** The window files in the local directory, oldest first. */
	List<Path> localFiles() throws IOException {
		if (this.local == null || !Files.isDirectory(this.local)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(this.local)) {
			return files.sorted().toList();
		}
	}

	/** Requests sent by the load, warm-up included. */
	long requests() {
		return this.warmUp.requests() + this.load.requests();
	}

	/** Requests of the load, warm-up included, that failed. */
	long failures() {
		return this.warmUp.errors() + this.load.errors();
	}

	private static long number(JsonNode root, String path) {
		JsonNode node = root;
		for (String part : path.split("\\.")) {
			if (node == null) {
				return 0;
			}
			node = node.get(part);
		}
		return (node != null && node.isNumber()) ? node.asLong() : 0;
	}

}
