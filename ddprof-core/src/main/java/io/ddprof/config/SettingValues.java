package io.ddprof.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parsing of setting values as text, shared by plain core (system properties and
 * environment variables) and by the Datadog variable mapping. Every failure is an
 * {@link InvalidSettingException} naming the key.
 */
public final class SettingValues {

	private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)?");

	private static final Pattern DATA_SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);

	private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_./-]*");

	private SettingValues() {
	}

	/**
	 * Parses {@code true}/{@code false} (and {@code 1}/{@code 0}, as Datadog accepts).
	 */
	public static boolean parseBoolean(String key, String text) {
		String value = text.trim().toLowerCase(Locale.ROOT);
		return switch (value) {
			case "true", "1", "yes", "on" -> true;
			case "false", "0", "no", "off" -> false;
			default -> throw new InvalidSettingException(key, text, "expected true or false");
		};
	}

	/**
	 * Parses a duration such as {@code 10ms}, {@code 60s} or an ISO-8601 {@code PT1M}; a
	 * bare number is read in {@code bareUnit} (Datadog's variables give seconds or
	 * milliseconds).
	 */
	public static Duration parseDuration(String key, String text, String bareUnit) {
		String value = text.trim();
		Matcher matcher = DURATION.matcher(value);
		try {
			if (matcher.matches()) {
				long amount = Long.parseLong(matcher.group(1));
				String unit = (matcher.group(2) != null) ? matcher.group(2) : bareUnit;
				return switch (unit) {
					case "ns" -> Duration.ofNanos(amount);
					case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
					case "ms" -> Duration.ofMillis(amount);
					case "s" -> Duration.ofSeconds(amount);
					case "m" -> Duration.ofMinutes(amount);
					case "h" -> Duration.ofHours(amount);
					default -> Duration.ofDays(amount);
				};
			}
			if (value.toUpperCase(Locale.ROOT).startsWith("PT") || value.toUpperCase(Locale.ROOT).startsWith("P")) {
				return Duration.parse(value);
			}
		}
		catch (ArithmeticException | NumberFormatException | DateTimeParseException ex) {
			// falls through to the message below
		}
		throw new InvalidSettingException(key, text, "expected a duration such as 10ms, 60s or PT1M");
	}

	/** Parses a size such as {@code 256MB}, {@code 512KB} or a bare number of bytes. */
	public static long parseDataSize(String key, String text) {
		Matcher matcher = DATA_SIZE.matcher(text.trim());
		if (matcher.matches()) {
			try {
				long amount = Long.parseLong(matcher.group(1));
				String unit = (matcher.group(2) != null) ? matcher.group(2).toUpperCase(Locale.ROOT) : "B";
				long factor = switch (unit) {
					case "KB" -> 1L << 10;
					case "MB" -> 1L << 20;
					case "GB" -> 1L << 30;
					case "TB" -> 1L << 40;
					default -> 1L;
				};
				return Math.multiplyExact(amount, factor);
			}
			catch (ArithmeticException | NumberFormatException ex) {
				// falls through to the message below
			}
		}
		throw new InvalidSettingException(key, text, "expected a size such as 256MB, 512KB or a number of bytes");
	}

	/** Parses a whole number. */
	public static int parseInt(String key, String text) {
		try {
			return Integer.parseInt(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new InvalidSettingException(key, text, "expected a whole number");
		}
	}

	/** Parses a URL whose scheme is {@code http}, {@code https} or {@code unix}. */
	public static URI parseUrl(String key, String text) {
		try {
			URI uri = new URI(text.trim());
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			boolean http = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
					&& (uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= 65535));
			boolean unix = scheme.equals("unix") && uri.getPath() != null && !uri.getPath().isEmpty();
			if (http || unix) {
				return uri;
			}
		}
		catch (URISyntaxException ex) {
			// falls through to the message below
		}
		throw new InvalidSettingException(key, text,
				"expected an http:// or https:// URL with a host (for example http://localhost:8126)");
	}

	/**
	 * Parses {@code ddprof.tags} written as text: {@code key:value} entries separated by
	 * commas, or by spaces when there is no comma (as {@link #parseDatadogTags} splits
	 * them). An entry without a value, with an empty key or a key that does not start
	 * with a letter is an error.
	 */
	public static Map<String, String> parseTags(String key, String text) {
		Map<String, String> tags = new LinkedHashMap<>();
		for (String entry : tagEntries(text)) {
			int colon = entry.indexOf(':');
			if (colon <= 0 || colon == entry.length() - 1) {
				throw new InvalidSettingException(key, text,
						"expected key:value pairs separated by commas or spaces, such as team:backend,region:eu");
			}
			String tagKey = entry.substring(0, colon).trim();
			checkTagKey(key, text, tagKey);
			tags.put(tagKey, entry.substring(colon + 1).trim());
		}
		return tags;
	}

	/**
	 * Parses {@code DD_TAGS} or {@code DD_PROFILING_TAGS} as dd-trace-java reads them,
	 * never failing: entries separated by commas, or by spaces when there is no comma;
	 * each entry split at its first colon; an entry without a colon (or with nothing
	 * after it) is a tag without a value, here an empty string. Entries with an empty key
	 * go to {@code leftOut}.
	 */
	public static Map<String, String> parseDatadogTags(String text, List<String> leftOut) {
		Map<String, String> tags = new LinkedHashMap<>();
		for (String entry : tagEntries(text)) {
			int colon = entry.indexOf(':');
			String tagKey = ((colon >= 0) ? entry.substring(0, colon) : entry).trim();
			String tagValue = (colon >= 0) ? entry.substring(colon + 1).trim() : "";
			if (tagKey.isEmpty()) {
				leftOut.add(entry);
			}
			else {
				tags.put(tagKey, tagValue);
			}
		}
		return tags;
	}

	private static List<String> tagEntries(String text) {
		String trimmed = text.trim();
		String separator = trimmed.contains(",") ? "," : "\\s+";
		return Arrays.stream(trimmed.split(separator)).map(String::trim).filter((entry) -> !entry.isEmpty()).toList();
	}

	/**
	 * Checks that a tag key starts with a letter and holds only letters, digits and
	 * {@code _./-}.
	 */
	public static void checkTagKey(String key, String text, String tagKey) {
		if (!TAG_KEY.matcher(tagKey).matches()) {
			throw new InvalidSettingException(key, text,
					"tag keys start with a letter and hold only letters, digits, '_', '.', '/' and '-'");
		}
	}

	static <E extends Enum<E>> E parseEnum(String key, String text, E[] values, Function<E, String> name) {
		String value = text.trim();
		for (E candidate : values) {
			if (name.apply(candidate).equalsIgnoreCase(value) || candidate.name().equalsIgnoreCase(value)) {
				return candidate;
			}
		}
		String allowed = Arrays.stream(values).map(name).collect(Collectors.joining(", "));
		throw new InvalidSettingException(key, text, "expected one of " + allowed);
	}

}
