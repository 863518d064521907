package io.ddprof.export.datadog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of JSON text for the tests (objects, arrays, strings, numbers, literals),
 * so that {@code event.json} is checked by a parser that does not share code with its writer.
 */
final class JsonReader {

	private final String text;

	private int at;

	private JsonReader(String text) {
		this.text = text;
	}

	/** The value of a complete JSON text: maps, lists, strings, doubles, booleans or null. */
	static Object parse(String text) {
		JsonReader reader = new JsonReader(text);
		Object value = reader.value();
		reader.skipSpace();
		if (reader.at != text.length()) {
			throw reader.error("trailing text");
		}
		return value;
	}

	private Object value() {
		skipSpace();
		char c = peek();
		if (c == '{') {
			return object();
		}
		if (c == '[') {
			return array();
		}
		if (c == '"') {
			return string();
		}
		for (String literal : new String[] { "true", "false", "null" }) {
			if (this.text.startsWith(literal, this.at)) {
				this.at += literal.length();
				return literal.equals("null") ? null : Boolean.valueOf(literal);
			}
		}
		int start = this.at;
		while (this.at < this.text.length() && "+-0123456789.eE".indexOf(this.text.charAt(this.at)) >= 0) {
			this.at++;
		}
		if (start == this.at) {
			throw error("unexpected character");
		}
		return Double.valueOf(this.text.substring(start, this.at));
	}

	private Map<String, Object> object() {
		Map<String, Object> object = new LinkedHashMap<>();
		expect('{');
		skipSpace();
		if (peek() == '}') {
			this.at++;
			return object;
		}
		while (true) {
			skipSpace();
			String key = string();
			skipSpace();
			expect(':');
			if (object.put(key, value()) != null) {
				throw error("duplicate key " + key);
			}
			skipSpace();
			if (peek() == '}') {
				this.at++;
				return object;
			}
			expect(',');
		}
	}

	private List<Object> array() {
		List<Object> array = new ArrayList<>();
		expect('[');
		skipSpace();
		if (peek() == ']') {
			this.at++;
			return array;
		}
		while (true) {
			array.add(value());
			skipSpace();
			if (peek() == ']') {
				this.at++;
				return array;
			}
			expect(',');
		}
	}

	private String string() {
		expect('"');
		StringBuilder out = new StringBuilder();
		while (true) {
			char c = this.text.charAt(this.at++);
			if (c == '"') {
				return out.toString();
			}
			if (c < 0x20) {
				throw error("raw control character in a string");
			}
			if (c != '\\') {
				out.append(c);
				continue;
			}
			char escaped = this.text.charAt(this.at++);
			switch (escaped) {
				case '"', '\\', '/' -> out.append(escaped);
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'u' -> {
					out.append((char) Integer.parseInt(this.text.substring(this.at, this.at + 4), 16));
					this.at += 4;
				}
				default -> throw error("bad escape");
			}
		}
	}

	private void expect(char c) {
		if (peek() != c) {
			throw error("expected '" + c + "'");
		}
		this.at++;
	}

	private char peek() {
		if (this.at >= this.text.length()) {
			throw error("unexpected end");
		}
		return this.text.charAt(this.at);
	}

	private void skipSpace() {
		while (this.at < this.text.length() && Character.isWhitespace(this.text.charAt(this.at))) {
			this.at++;
		}
	}

	private IllegalArgumentException error(String what) {
		return new IllegalArgumentException(what + " at " + this.at + " in " + this.text);
	}

}
