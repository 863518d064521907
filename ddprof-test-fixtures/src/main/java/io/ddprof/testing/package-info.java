/**
 * Test fixtures every module's tests share, that need nothing of ddprof: real HTTP
 * servers on loopback or a Unix domain socket standing for an agent or a collector, a
 * launcher for a JVM of its own, and readers of what ddprof writes (multipart bodies, JFR
 * files) that share no code with the writers.
 */
package io.ddprof.testing;
