package io.ddprof.sample.reliability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddprof.ProfilerStatus;
import io.ddprof.export.WindowSummary;
import io.ddprof.export.upload.UploadStatus;

/**
 * The parts of {@link ProfilerStatus} the reliability tests check, as plain JSON-ready
 * values.
 */
final class StatusJson {

	private StatusJson() {
	}

	static Map<String, Object> of(ProfilerStatus status, Map<String, Object> tally) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("state", status.state().name());
		json.put("engine", status.engine());
		json.put("engineReason", status.engineReason());
		json.put("windowsRecorded", status.windowsRecorded());
		json.put("windowsDropped", status.windowsDropped());
		json.put("tally", tally);
		if (status.upload() != null) {
			json.put("upload", upload(status.upload()));
		}
		if (!status.pipelines().isEmpty()) {
			Map<String, Object> pipelines = new LinkedHashMap<>();
			status.pipelines().forEach((name, upload) -> pipelines.put(name, upload(upload)));
			json.put("pipelines", pipelines);
		}
		if (status.local() != null) {
			json.put("local", Map.of("files", status.local().files(), "bytes", status.local().bytes(), "deleted",
					status.local().deleted()));
		}
		json.put("history", Map.of("windows", status.history().windows(), "bytes", status.history().bytes()));
		WindowSummary last = status.lastWindow();
		if (last != null) {
			json.put("lastWindow", Map.of("sequence", last.sequence(), "endpoints", last.endpoints().size(),
					"endpointsLeftOut", last.endpointsLeftOut()));
		}
		List<Map<String, String>> problems = status.problems()
			.stream()
			.map((problem) -> Map.of("kind", problem.kind(), "message", problem.message()))
			.toList();
		json.put("problems", problems);
		return json;
	}

	private static Map<String, Object> upload(UploadStatus upload) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("sent", upload.sent());
		json.put("retried", upload.retried());
		json.put("failed", upload.failed());
		json.put("dropped", upload.dropped());
		json.put("queueDepth", upload.queueDepth());
		json.put("lastOutcome", upload.lastOutcome());
		json.put("lastDetail", upload.lastDetail());
		return json;
	}

}
