package io.ddprof.benchmarks.load;

/**
 * What one run of one configuration measured.
 *
 * @param configuration the configuration
 * @param round the round, from 1
 * @param load what the measured phase got
 * @param cpuSecondsPerRequest process CPU time (user and system) in the measured phase
 * per request
 * @param peakRssBytes peak resident set size over the process's life
 * @param heapAfterGcBytes heap in use after a full collection at the end of the run
 * @param samplesPerSecond profiling samples taken per second, or {@code null} when not
 * measurable
 * @param samplesNote what the samples count covers, or where it could not be had
 * @param windowCpuMillis ddprof: CPU milliseconds its rotation and export threads spent
 * on the measured window (cutting it, the summary's span join, export), else {@code null}
 * @param uploadCpuMillis ddprof: CPU milliseconds its upload threads (one per backend)
 * spent on the measured window (compression, HTTP), else {@code null}
 * @param uploadBytes ddprof: bytes of the measured window's upload (the whole request
 * body), else {@code null}
 * @param intake what the local intake received during the run
 * @param cpuSecondsPerRequestByThreads CPU time of the measured phase per request, by
 * what the threads work for
 * @param firstMinute what seconds 10 to 60 after start got, or {@code null} when that
 * phase is not measured
 * @param firstMinuteCpuSecondsPerRequestByThreads CPU time of the first-minute phase per
 * request, by what the threads work for; empty when that phase is not measured
 */
record RunResult(Configuration configuration, int round, LoadResult load, double cpuSecondsPerRequest,
		long peakRssBytes, long heapAfterGcBytes, Double samplesPerSecond, String samplesNote, Double windowCpuMillis,
		Double uploadCpuMillis, Long uploadBytes, LocalIntake.Counts intake,
		java.util.Map<ProcessMeter.ThreadGroup, Double> cpuSecondsPerRequestByThreads, LoadResult firstMinute,
		java.util.Map<ProcessMeter.ThreadGroup, Double> firstMinuteCpuSecondsPerRequestByThreads) {
}
