package io.ddprof.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One {@code ddprof.*} key, defined once: its name, kind, default, allowed values, the
 * unit of a bare number, the Datadog variable it is read from and the check of its value.
 * The keys themselves are in {@link Settings}; {@link SettingsResolver},
 * {@link DatadogVariables}, {@link ProfilerSettings} (its builder's defaults and its
 * records' validation) and the Spring module's failure analysis all read them from there.
 *
 * @param <T> the type the key's value has in {@link ProfilerSettings.Builder}
 */
public final class Setting<T> {

	private static final Duration MAX_DURATION = Duration.ofDays(1);

	private final String key;

	private final Kind kind;

	private final T defaultValue;

	private final String defaultText;

	private final List<String> allowedValues;

	private final @Nullable ChronoUnit bareUnit;

	private final @Nullable String datadogVariable;

	private final boolean secret;

	private final Check<T> check;

	private final Parser<T> parser;

	private final BiConsumer<ProfilerSettings.Builder, T> applier;

	private Setting(String key, Kind kind, T defaultValue, String defaultText, List<String> allowedValues,
			@Nullable ChronoUnit bareUnit, @Nullable String datadogVariable, boolean secret, Check<T> check,
			Parser<T> parser, BiConsumer<ProfilerSettings.Builder, T> applier) {
		this.key = key;
		this.kind = kind;
		this.defaultValue = defaultValue;
		this.defaultText = defaultText;
		this.allowedValues = List.copyOf(allowedValues);
		this.bareUnit = bareUnit;
		this.datadogVariable = datadogVariable;
		this.secret = secret;
		this.check = check;
		this.parser = parser;
		this.applier = applier;
	}

	static Setting<Boolean> bool(String key, boolean defaultValue,
			BiConsumer<ProfilerSettings.Builder, Boolean> applier) {
		return new Setting<>(key, Kind.BOOLEAN, defaultValue, Boolean.toString(defaultValue), List.of(), null, null,
				false, (k, v) -> {
				}, SettingValues::parseBoolean, applier);
	}

	/**
	 * An optional boolean: unset ({@code null}) means the builder decides from other
	 * keys.
	 */
	static Setting<Boolean> optionalBool(String key, String defaultText,
			BiConsumer<ProfilerSettings.Builder, Boolean> applier) {
		return new Setting<>(key, Kind.BOOLEAN, null, defaultText, List.of(), null, null, false, (k, v) -> {
		}, SettingValues::parseBoolean, applier);
	}

	static Setting<String> text(String key, String defaultValue, BiConsumer<ProfilerSettings.Builder, String> applier) {
		return new Setting<>(key, Kind.TEXT, defaultValue, (defaultValue != null) ? defaultValue : "none", List.of(),
				null, null, false, (k, v) -> {
				}, (k, v) -> v, applier);
	}

	static Setting<String> url(String key, String defaultText, BiConsumer<ProfilerSettings.Builder, String> applier) {
		return new Setting<>(key, Kind.URL, null, defaultText, List.of(), null, null, false, (k, v) -> {
		}, (k, v) -> v, applier);
	}

	static Setting<Integer> integer(String key, int defaultValue, int min, int max,
			BiConsumer<ProfilerSettings.Builder, Integer> applier) {
		return new Setting<>(key, Kind.INTEGER, defaultValue, Integer.toString(defaultValue), List.of(), null, null,
				false, (k, v) -> {
					if (v < min || v > max) {
						throw new InvalidSettingException(k, Integer.toString(v),
								"expected a whole number from " + min + " to " + max);
					}
				}, SettingValues::parseInt, applier);
	}

	/** A positive duration of at most a day (a bare number is {@code bareUnit}). */
	static Setting<Duration> duration(String key, Duration defaultValue, ChronoUnit bareUnit,
			BiConsumer<ProfilerSettings.Builder, Duration> applier) {
		return duration(key, defaultValue, bareUnit, Setting::requirePositive, applier);
	}

	static Setting<Duration> duration(String key, Duration defaultValue, ChronoUnit bareUnit, Check<Duration> check,
			BiConsumer<ProfilerSettings.Builder, Duration> applier) {
		String unit = symbol(bareUnit);
		return new Setting<>(key, Kind.DURATION, defaultValue, format(defaultValue), List.of(), bareUnit, null, false,
				check, (k, v) -> SettingValues.parseDuration(k, v, unit), applier);
	}

	/** A positive size in bytes (a bare number is bytes). */
	static Setting<Long> size(String key, long defaultValue, BiConsumer<ProfilerSettings.Builder, Long> applier) {
		return new Setting<>(key, Kind.SIZE, defaultValue, formatSize(defaultValue), List.of(), null, null, false,
				(k, v) -> {
					if (v == null || v <= 0) {
						throw new InvalidSettingException(k, v + "B", "expected a positive size such as 256MB");
					}
				}, SettingValues::parseDataSize, applier);
	}

	/**
	 * A size in bytes that may be unset ({@code null}): then the builder chooses, as
	 * {@code defaultText} says.
	 */
	static Setting<Long> optionalSize(String key, String defaultText, Check<Long> check,
			BiConsumer<ProfilerSettings.Builder, Long> applier) {
		return new Setting<>(key, Kind.SIZE, null, defaultText, List.of(), null, null, false, check,
				SettingValues::parseDataSize, applier);
	}

	/** One of a few words, held as written; {@code applier} reads it. */
	static Setting<String> words(String key, String defaultValue, List<String> allowed,
			BiConsumer<ProfilerSettings.Builder, String> applier) {
		return new Setting<>(key, Kind.CHOICE, defaultValue, defaultValue, allowed, null, null, false, (k, v) -> {
		}, (k, v) -> v, applier);
	}

	static <E extends Enum<E>> Setting<E> choice(String key, E defaultValue, E[] values, Function<E, String> name,
			BiConsumer<ProfilerSettings.Builder, E> applier) {
		List<String> allowed = Arrays.stream(values).map(name).toList();
		return new Setting<>(key, Kind.CHOICE, defaultValue, name.apply(defaultValue), allowed, null, null, false,
				(k, v) -> {
					if (v == null) {
						throw new InvalidSettingException(k, "null", "expected one of " + String.join(", ", allowed));
					}
				}, (k, v) -> SettingValues.parseEnum(k, v, values, name), applier);
	}

	static Setting<Path> path(String key, Path defaultValue, String defaultText,
			BiConsumer<ProfilerSettings.Builder, Path> applier) {
		return new Setting<>(key, Kind.PATH, defaultValue, defaultText, List.of(), null, null, false, (k, v) -> {
		}, (k, v) -> v.isEmpty() ? null : Path.of(v), applier);
	}

	/**
	 * A map, written {@code ddprof.key.name=value} in Spring and as one line of text in
	 * plain core.
	 */
	static Setting<Map<String, String>> map(String key) {
		return new Setting<>(key, Kind.MAP, Map.of(), "none", List.of(), null, null, false, (k, v) -> {
		}, (k, v) -> {
			throw new UnsupportedOperationException(k + " is resolved apart: its text form is key-specific");
		}, (b, v) -> {
		});
	}

	/**
	 * This key, its default described as {@code defaultText} (a default that is not a
	 * constant).
	 */
	Setting<T> describedAs(String text) {
		return new Setting<>(this.key, this.kind, this.defaultValue, text, this.allowedValues, this.bareUnit,
				this.datadogVariable, this.secret, this.check, this.parser, this.applier);
	}

	/** This key, read from a Datadog variable when it is not set. */
	Setting<T> datadog(String variable) {
		return new Setting<>(this.key, this.kind, this.defaultValue, this.defaultText, this.allowedValues,
				this.bareUnit, variable, this.secret, this.check, this.parser, this.applier);
	}

	/** This key, whose value is never logged, shown in status or in a failure message. */
	Setting<T> secret() {
		return new Setting<>(this.key, this.kind, this.defaultValue, this.defaultText, this.allowedValues,
				this.bareUnit, this.datadogVariable, true, this.check, this.parser, this.applier);
	}

	/** This key, checked by {@code check} as well. */
	Setting<T> checking(Check<T> more) {
		Check<T> first = this.check;
		return new Setting<>(this.key, this.kind, this.defaultValue, this.defaultText, this.allowedValues,
				this.bareUnit, this.datadogVariable, this.secret, (k, v) -> {
					first.check(k, v);
					more.check(k, v);
				}, this.parser, this.applier);
	}

	/** The key, such as {@code ddprof.upload.period}. */
	public String key() {
		return this.key;
	}

	/** What kind of value the key takes. */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * The default, or {@code null} when the default is not a constant (see
	 * {@link #defaultText()}).
	 */
	public T defaultValue() {
		return this.defaultValue;
	}

	/** The default as users would write it, or what happens when the key is not set. */
	public String defaultText() {
		return this.defaultText;
	}

	/** The values a choice allows, as users write them; empty for other kinds. */
	public List<String> allowedValues() {
		return this.allowedValues;
	}

	/**
	 * The unit of a bare number for a duration ({@code 10} is 10 of it); {@code null} for
	 * other kinds.
	 */
	public @Nullable ChronoUnit bareUnit() {
		return this.bareUnit;
	}

	/** The Datadog variable the key is read from when it is not set, or {@code null}. */
	public @Nullable String datadogVariable() {
		return this.datadogVariable;
	}

	/** Whether the value is a secret, never shown. */
	public boolean isSecret() {
		return this.secret;
	}

	/**
	 * What the key accepts, as a failure message says it ("expected ..."): the phrase of
	 * the key's kind, or its allowed values.
	 */
	public String expected() {
		if (!this.allowedValues.isEmpty()) {
			return "expected one of " + String.join(", ", this.allowedValues);
		}
		return this.kind.expected;
	}

	/**
	 * Checks a value the key would hold in {@link ProfilerSettings}.
	 * @throws InvalidSettingException naming the key when the value is not allowed
	 */
	public T validate(T value) {
		this.check.check(this.key, value);
		return value;
	}

	/**
	 * Parses the key's value written as text (a system property, a variable).
	 * @throws InvalidSettingException naming the key when the text does not parse
	 */
	public T parse(String text) {
		return this.parser.parse(this.key, text);
	}

	/** Parses {@code text} and sets it on {@code builder}. */
	void apply(ProfilerSettings.Builder builder, String text) {
		this.applier.accept(builder, parse(text));
	}

	/** The key named {@code key}, if there is one. */
	public static Optional<Setting<?>> named(String key) {
		return Settings.all().stream().filter((setting) -> setting.key.equals(key)).findFirst();
	}

	@Override
	public String toString() {
		return this.key;
	}

	/** A duration as users write it: {@code 10ms}, {@code 60s}, else ISO-8601. */
	private static String format(Duration duration) {
		long millis = duration.toMillis();
		if (!duration.equals(Duration.ofMillis(millis))) {
			return duration.toString();
		}
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	static void requirePositive(String key, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidSettingException(key, formatMillis(value),
					"expected a positive duration such as 10ms or 60s");
		}
		requireAtMostADay(key, value);
	}

	static void requireNotNegative(String key, Duration value) {
		if (value == null || value.isNegative()) {
			throw new InvalidSettingException(key, formatMillis(value), "expected a duration of 0s or more");
		}
		requireAtMostADay(key, value);
	}

	// Beyond that a duration means nothing to a profiler, and far beyond it overflows the
	// nanoseconds that the engines and the scheduler count in: failing at start is the
	// better message.
	private static void requireAtMostADay(String key, Duration value) {
		if (value.compareTo(MAX_DURATION) > 0) {
			throw new InvalidSettingException(key, formatMillis(value), "expected a duration of at most 1d");
		}
	}

	static void requireText(String key, String value) {
		if (value == null || value.isBlank()) {
			throw new InvalidSettingException(key, String.valueOf(value), "expected a non-empty value");
		}
	}

	/**
	 * A duration as failure messages have always shown it: in milliseconds, else
	 * ISO-8601.
	 */
	static String formatMillis(Duration duration) {
		if (duration == null) {
			return "null";
		}
		long millis = duration.toMillis();
		return (duration.equals(Duration.ofMillis(millis))) ? millis + "ms" : duration.toString();
	}

	private static String formatSize(long bytes) {
		for (String unit : List.of("TB", "GB", "MB", "KB")) {
			long factor = switch (unit) {
				case "TB" -> 1L << 40;
				case "GB" -> 1L << 30;
				case "MB" -> 1L << 20;
				default -> 1L << 10;
			};
			if (bytes >= factor && bytes % factor == 0) {
				return (bytes / factor) + unit;
			}
		}
		return bytes + "B";
	}

	/** The unit as a duration is written with it: {@code ms}, {@code s}. */
	static String symbol(ChronoUnit unit) {
		return switch (unit) {
			case NANOS -> "ns";
			case MICROS -> "us";
			case MILLIS -> "ms";
			case SECONDS -> "s";
			case MINUTES -> "m";
			case HOURS -> "h";
			case DAYS -> "d";
			default -> throw new IllegalArgumentException("no bare unit " + unit);
		};
	}

	/**
	 * The kinds of value a key takes, each with what a failure message says it accepts.
	 */
	public enum Kind {

		/** {@code true} or {@code false}. */
		BOOLEAN("expected true or false"),

		/** Free text. */
		TEXT("expected a non-empty value"),

		/** An {@code http(s)://} URL (some keys take {@code unix://} too). */
		URL("expected an http:// or https:// URL with a host (for example http://localhost:8126)"),

		/** A whole number in a range. */
		INTEGER("expected a whole number"),

		/** A duration such as {@code 10ms}. */
		DURATION("expected a duration such as 10ms, 60s or PT1M"),

		/** A size such as {@code 256MB}, held in bytes. */
		SIZE("expected a size such as 256KB or 128MB"),

		/** One of a few values. */
		CHOICE("expected one of the documented values"),

		/** A file-system path. */
		PATH("expected a directory path"),

		/** Keys and values. */
		MAP("expected keys and values");

		private final String expected;

		Kind(String expected) {
			this.expected = expected;
		}

	}

	/** The check of a value, throwing {@link InvalidSettingException} naming the key. */
	@FunctionalInterface
	interface Check<T> {

		void check(String key, T value);

	}

	@FunctionalInterface
	private interface Parser<T> {

		T parse(String key, String text);

	}

}
