package io.ddprof.engine;

/** An engine could not start or switch its recording; the message says why. */
public class EngineException extends Exception {

	/** Creates the exception with a message saying what failed and why. */
	public EngineException(String message, Throwable cause) {
		super(message, cause);
	}

	/** Creates the exception with a message saying what failed and why. */
	public EngineException(String message) {
		super(message);
	}

}
