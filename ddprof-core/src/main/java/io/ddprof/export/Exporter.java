package io.ddprof.export;

import io.ddprof.window.RecordedWindow;

/**
 * A {@link WindowConsumer} that takes each window out of the process: to a backend
 * (Datadog, OTLP, Pyroscope), to a local directory, or wherever an exporter the
 * application adds sends it ({@code Profiler.addExporter}; in Spring, any
 * {@code Exporter} bean). Like every consumer it runs on the export thread, may throw,
 * and must not keep {@link RecordedWindow#jfr()} past the call.
 */
public interface Exporter extends WindowConsumer {

	/** Exports one window. */
	void export(RecordedWindow window) throws Exception;

	/** Exports the window. */
	@Override
	default void accept(RecordedWindow window) throws Exception {
		export(window);
	}

}
