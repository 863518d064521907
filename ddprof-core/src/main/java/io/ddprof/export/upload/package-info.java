/**
 * What every upload backend shares: windows waiting on disk in a bounded
 * {@link io.ddprof.export.upload.UploadQueue} with retries, backoff and counted drops,
 * sent by one thread per backend through a pluggable
 * {@link io.ddprof.export.upload.UploadTransport}.
 */
@NullMarked
package io.ddprof.export.upload;

import org.jspecify.annotations.NullMarked;
