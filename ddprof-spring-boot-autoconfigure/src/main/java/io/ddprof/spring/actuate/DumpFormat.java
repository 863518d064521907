package io.ddprof.spring.actuate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/** The formats {@code GET /actuator/profiler/{format}} writes. */
enum DumpFormat {

	/**
	 * The recorded windows as they are, concatenated (JFR chunks concatenate into a valid
	 * file).
	 */
	JFR("jfr", MimeTypeUtils.APPLICATION_OCTET_STREAM, ".jfr"),

	/** A gzip-compressed pprof profile of one profile type. */
	PPROF("pprof", MimeTypeUtils.APPLICATION_OCTET_STREAM, ".pprof"),

	/**
	 * Collapsed stacks of one profile type, the text format of FlameGraph and speedscope.
	 */
	COLLAPSED("collapsed", new MimeType("text", "plain", StandardCharsets.UTF_8), ".collapsed"),

	/** async-profiler's self-contained HTML flame graph of one profile type. */
	FLAMEGRAPH("flamegraph", new MimeType("text", "html", StandardCharsets.UTF_8), ".html");

	private final String id;

	private final MimeType contentType;

	private final String extension;

	DumpFormat(String id, MimeType contentType, String extension) {
		this.id = id;
		this.contentType = contentType;
		this.extension = extension;
	}

	/** The name in the URL. */
	String id() {
		return this.id;
	}

	MimeType contentType() {
		return this.contentType;
	}

	/** The file name extension, with its dot. */
	String extension() {
		return this.extension;
	}

	/**
	 * Whether the format holds one profile type, chosen with the {@code event} parameter.
	 */
	boolean perEvent() {
		return this != JFR;
	}

	/** The format named {@code id} (exactly, in lower case), or {@code null}. */
	static @Nullable DumpFormat fromId(@Nullable String id) {
		for (DumpFormat format : values()) {
			if (format.id.equals(id)) {
				return format;
			}
		}
		return null;
	}

	/** The names allowed, for error messages. */
	static String allowed() {
		return Arrays.stream(values()).map(DumpFormat::id).collect(Collectors.joining(", "));
	}

}
