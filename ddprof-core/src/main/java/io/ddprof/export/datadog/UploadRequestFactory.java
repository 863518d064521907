package io.ddprof.export.datadog;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.QueuedWindow;
import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadRequest.Bytes;
import io.ddprof.export.upload.UploadRequest.FileBody;
import io.ddprof.export.upload.UploadRequest.Part;
import org.jspecify.annotations.Nullable;

/**
 * Builds the one request shape the Datadog intake expects (docs/datadog-intake.md): the
 * headers, the {@code event} part ({@code event.json}) and the {@code main} part (the
 * compressed JFR), named as {@link DatadogMultipart} says. Every transport sends what
 * this builds.
 */
final class UploadRequestFactory {

	/** The client name sent as {@code DD-EVP-ORIGIN}. */
	static final String ORIGIN = "ddprof";

	private final ProfilerSettings settings;

	private final AgentDestination destination;

	private final URI endpoint;

	private final @Nullable Path socket;

	private final Supplier<RuntimeInfo> runtime;

	private volatile @Nullable Prepared prepared;

	/**
	 * A factory for these settings, describing this JVM, to the agent URL set or its
	 * default.
	 */
	UploadRequestFactory(ProfilerSettings settings) {
		this(settings, RuntimeInfo::current);
	}

	/**
	 * A factory for these settings, describing the given runtime, to the agent URL set or
	 * its default.
	 */
	UploadRequestFactory(ProfilerSettings settings, Supplier<RuntimeInfo> runtime) {
		this(settings,
				new AgentDestination(
						settings.agent().agentless() ? settings.agent().endpoint() : settings.agent().urlOrDefault(),
						"settings"),
				runtime);
	}

	/**
	 * A factory for these settings sending to {@code destination}, describing the given
	 * runtime (looked up on first use).
	 */
	UploadRequestFactory(ProfilerSettings settings, AgentDestination destination, Supplier<RuntimeInfo> runtime) {
		this.settings = settings;
		this.destination = destination;
		this.endpoint = settings.agent().agentless() ? destination.url() : destination.request("/profiling/v1/input");
		this.socket = destination.socket();
		this.runtime = runtime;
	}

	/** Where requests go: the agent's input or the intake, or the agent's socket. */
	URI endpoint() {
		return (this.socket != null) ? this.destination.url() : this.endpoint;
	}

	/** Where requests go and why. */
	AgentDestination destination() {
		return this.destination;
	}

	/** The request uploading one queued window. */
	UploadRequest create(QueuedWindow window) {
		Prepared fixed = prepared();
		String tags = fixed.tags() + ",snapshot:" + window.snapshot();
		StringBuilder json = new StringBuilder(512).append("{\"attachments\":[")
			.append(quote(DatadogMultipart.RECORDING_FILE))
			.append(']');
		json.append(",\"tags_profiler\":").append(quote(tags));
		if (!fixed.processTags().isEmpty()) {
			json.append(",\"process_tags\":").append(quote(fixed.processTags()));
		}
		json.append(",\"start\":").append(quote(window.start().toString()));
		json.append(",\"end\":").append(quote(window.end().toString()));
		json.append(",\"family\":\"java\",\"version\":\"4\"}");
		byte[] event = json.toString().getBytes(StandardCharsets.UTF_8);
		return new UploadRequest(this.endpoint, fixed.headers(),
				List.of(new Part(DatadogMultipart.EVENT_PART, DatadogMultipart.EVENT_FILE, "application/json",
						new Bytes(event)),
						new Part(DatadogMultipart.RECORDING_PART, DatadogMultipart.RECORDING_FILE,
								"application/octet-stream", new FileBody(window.file(), window.size()))),
				this.socket);
	}

	// Everything but the window's own fields is the same for every request: built once,
	// lazily,
	// so that the host name lookup happens on the upload thread.
	private Prepared prepared() {
		Prepared fixed = this.prepared;
		if (fixed == null) {
			RuntimeInfo info = this.runtime.get();
			fixed = new Prepared(headers(info), tags(info), info.processTags());
			this.prepared = fixed;
		}
		return fixed;
	}

	private Map<String, String> headers(RuntimeInfo info) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("DD-EVP-ORIGIN", ORIGIN);
		headers.put("DD-EVP-ORIGIN-VERSION", info.ddprofVersion());
		headers.put("Datadog-Meta-Lang", "java");
		headers.put("Datadog-Meta-Lang-Version", info.javaVersion());
		headers.put("Datadog-Meta-Lang-Interpreter", info.vmName());
		headers.put("Datadog-Meta-Lang-Interpreter-Vendor", info.vmVendor());
		if (info.containerId() != null) {
			headers.put("Datadog-Container-ID", info.containerId());
		}
		if (this.settings.agent().agentless()) {
			headers.put(UploadRequest.API_KEY_HEADER, this.settings.agent().apiKey());
		}
		return headers;
	}

	private String tags(RuntimeInfo info) {
		Map<String, String> tags = new LinkedHashMap<>();
		tags.put("service", this.settings.service());
		if (this.settings.env() != null) {
			tags.put("env", this.settings.env());
		}
		if (this.settings.version() != null) {
			tags.put("version", this.settings.version());
		}
		this.settings.tags().forEach(tags::putIfAbsent);
		// The user may name the host; what identifies this process and this window is
		// ours.
		tags.putIfAbsent("host", info.host());
		tags.put("language", "jvm");
		tags.put("runtime_version", info.javaVersion());
		tags.put("process_id", Long.toString(info.pid()));
		tags.put("runtime-id", info.runtimeId());
		tags.put("profiler_version", info.ddprofVersion());
		tags.put("library_version", info.ddprofVersion());
		tags.remove("snapshot");
		return tags.entrySet()
			.stream()
			.map((tag) -> tag.getKey() + ":" + tagValue(tag.getValue()))
			.collect(Collectors.joining(","));
	}

	// tags_profiler is one comma-separated string: a comma inside a value would split the
	// tag,
	// and Datadog's own uploader strips double quotes.
	private static String tagValue(String value) {
		return value.replace(',', '_').replace("\"", "");
	}

	/** The JSON string literal of {@code text}. */
	static String quote(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

	private record Prepared(Map<String, String> headers, String tags, String processTags) {
	}

}
