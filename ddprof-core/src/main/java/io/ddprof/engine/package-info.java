/**
 * The sampling engines, thin wrappers over async-profiler and the JDK Flight Recorder,
 * and the choice between them ({@link io.ddprof.engine.EngineSelection}).
 */
@NullMarked
package io.ddprof.engine;

import org.jspecify.annotations.NullMarked;
