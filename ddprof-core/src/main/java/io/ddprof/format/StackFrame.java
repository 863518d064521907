package io.ddprof.format;

/**
 * One frame of a sampled stack.
 *
 * @param className the class in Java form ({@code java.util.HashMap}, {@code byte[]}), or
 * empty for native code outside Java
 * @param methodName the method name, or a native symbol; empty for a {@link Kind#CLASS}
 * frame
 * @param line the source line, or 0 when unknown
 * @param kind how the frame was executing
 */
public record StackFrame(String className, String methodName, int line, Kind kind) {

	/**
	 * The name shown in stacks: {@code Class.method}, a native symbol, or a class name.
	 */
	public String name() {
		if (this.className.isEmpty()) {
			return this.methodName;
		}
		if (this.methodName.isEmpty()) {
			return this.className;
		}
		return this.className + '.' + this.methodName;
	}

	/**
	 * A class name in Java form from a JVM internal name or descriptor:
	 * {@code java/lang/String} and {@code java.lang.String} become
	 * {@code java.lang.String}, {@code [B} becomes {@code byte[]}.
	 */
	static String javaClassName(String name) {
		int dimensions = 0;
		while (dimensions < name.length() && name.charAt(dimensions) == '[') {
			dimensions++;
		}
		String element = name;
		if (dimensions > 0 && dimensions < name.length()) {
			element = switch (name.charAt(dimensions)) {
				case 'B' -> "byte";
				case 'C' -> "char";
				case 'S' -> "short";
				case 'I' -> "int";
				case 'J' -> "long";
				case 'Z' -> "boolean";
				case 'F' -> "float";
				case 'D' -> "double";
				case 'L' -> name.substring(dimensions + 1, name.endsWith(";") ? name.length() - 1 : name.length());
				default -> name.substring(dimensions);
			};
		}
		return element.replace('/', '.') + "[]".repeat(dimensions);
	}

	/**
	 * How a frame was executing. The first seven are async-profiler's frame types in its
	 * order, so that the ordinal is the type its flame graph colours by.
	 */
	public enum Kind {

		/** Interpreted Java. */
		INTERPRETED,

		/** Java compiled by C2 (or by an unknown compiler). */
		JIT_COMPILED,

		/** Java inlined into its caller. */
		INLINED,

		/** A native function, or with the JFR engine a Java {@code native} method. */
		NATIVE,

		/** JVM code in C++. */
		CPP,

		/** Kernel code. */
		KERNEL,

		/** Java compiled by C1. */
		C1_COMPILED,

		/**
		 * Not code: the class allocated (allocation, live heap) or waited on (lock), as
		 * the leaf.
		 */
		CLASS

	}

}
