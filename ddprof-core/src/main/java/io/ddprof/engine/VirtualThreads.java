package io.ddprof.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.jspecify.annotations.Nullable;

/**
 * Tells virtual threads apart on Java 21 and later while the code is built for Java 17:
 * {@code Thread.isVirtual()} is looked up once; before Java 21 no thread is virtual.
 */
final class VirtualThreads {

	private static final @Nullable MethodHandle IS_VIRTUAL = lookUp();

	private VirtualThreads() {
	}

	/** Whether the current thread is a virtual thread. */
	static boolean current() {
		return is(Thread.currentThread());
	}

	/** Whether {@code thread} is a virtual thread. */
	static boolean is(Thread thread) {
		if (IS_VIRTUAL == null) {
			return false;
		}
		try {
			return (boolean) IS_VIRTUAL.invokeExact(thread);
		}
		catch (Throwable ex) {
			// Thread.isVirtual() throws nothing; were it to, the thread is treated as a
			// platform thread.
			return false;
		}
	}

	private static @Nullable MethodHandle lookUp() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			return null;
		}
	}

}
