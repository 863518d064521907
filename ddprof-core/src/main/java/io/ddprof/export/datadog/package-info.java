/**
 * The Datadog upload: each window becomes one multipart request to the agent's
 * {@code /profiling/v1/input} (or the agentless intake), waiting on disk in a bounded
 * queue and sent by one background thread through a pluggable
 * {@link io.ddprof.export.upload.UploadTransport}.
 */
@NullMarked
package io.ddprof.export.datadog;

import org.jspecify.annotations.NullMarked;
