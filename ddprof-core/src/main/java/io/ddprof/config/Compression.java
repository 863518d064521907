package io.ddprof.config;

/**
 * How the JFR of a window is compressed for upload ({@code ddprof.upload.compression}).
 */
public enum Compression {

	/** Zstandard, the Datadog default. */
	ZSTD("zstd"),

	/** LZ4 frame format. */
	LZ4("lz4"),

	/** gzip. */
	GZIP("gzip"),

	/** No compression. */
	OFF("off");

	private final String value;

	Compression(String value) {
		this.value = value;
	}

	/** The value as users write it in settings. */
	public String value() {
		return this.value;
	}

	/** Parses a settings value ({@code zstd}, {@code lz4}, {@code gzip}, {@code off}). */
	public static Compression parse(String key, String text) {
		return SettingValues.parseEnum(key, text, values(), Compression::value);
	}

}
