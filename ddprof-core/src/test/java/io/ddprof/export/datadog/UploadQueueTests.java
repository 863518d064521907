package io.ddprof.export.datadog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.JdkHttpUploadTransport;
import io.ddprof.export.upload.QueuedWindow;
import io.ddprof.export.upload.RetryPolicy;
import io.ddprof.export.upload.UploadOutcome;
import io.ddprof.export.upload.UploadQueue;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.problem.ProblemLog;
import io.ddprof.testing.IntakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link UploadQueue} faults against a real HTTP server on loopback (or a closed port):
 * retries, answers that must not be retried, timeouts, a long outage and shutdown.
 */
class UploadQueueTests {

	private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100),
			Duration.ofMinutes(1));

	private static final Instant START = Instant.parse("2026-11-25T13:39:41Z");

	@TempDir
	Path temp;

	private IntakeServer server;

	private CapturedLogs logs;

	private final List<UploadQueue> queues = new ArrayList<>();

	@BeforeEach
	void start() throws IOException {
		this.server = new IntakeServer();
		this.logs = new CapturedLogs();
	}

	@AfterEach
	void stop() {
		this.queues.forEach((queue) -> queue.close(System.nanoTime()));
		this.server.close();
		this.logs.close();
	}

	@ParameterizedTest
	@ValueSource(ints = { 429, 500, 503 })
	void retriesAnOverloadedOrFailingIntakeThenSendsTheWindowOnce(int status) throws IOException {
		this.server.answer(status);
		UploadQueue queue = queue(this.server.url(), 4, FAST, Duration.ofSeconds(10));
		QueuedWindow window = window(1);
		queue.offer(window);

		await().atMost(20, TimeUnit.SECONDS).until(() -> queue.status().sent() == 1);
		assertThat(this.server.requests()).extracting(IntakeServer.Request::answeredWith).containsExactly(status, 200);
		assertThat(this.server.requests()).allSatisfy((request) -> assertThat(mainOf(request)).isEqualTo("window 1"));
		UploadStatus status1 = queue.status();
		assertThat(status1.retried()).isEqualTo(1);
		assertThat(status1.failed()).isZero();
		assertThat(status1.dropped()).isEmpty();
		assertThat(status1.queueDepth()).isZero();
		assertThat(window.file()).doesNotExist();
		assertThat(warnings()).singleElement()
			.satisfies((line) -> assertThat(line).contains("HTTP " + status).contains("retrying with backoff"));
	}

	@Test
	void doesNotRetryAProfileTheAgentFindsTooLargeAndSaysSoInOneLine() throws IOException {
		this.server.answer(413);
		UploadQueue queue = queue(this.server.url(), 4, FAST, Duration.ofSeconds(10));
		queue.offer(window(1));
		await().atMost(20, TimeUnit.SECONDS).until(() -> queue.status().failed() == 1);
		queue.offer(window(2));
		await().atMost(20, TimeUnit.SECONDS).until(() -> queue.status().sent() == 1);

		// Windows go oldest first: a retry of the first would have come before the
		// second.
		assertThat(this.server.requests()).extracting(UploadQueueTests::mainOf).containsExactly("window 1", "window 2");
		assertThat(queue.status().retried()).isZero();
		assertThat(this.logs.records()).singleElement().satisfies((record) -> {
			assertThat(record.getMessage()).contains("profile #1", "as too large (HTTP 413)", "not retried",
					"ddprof.upload.period");
			assertThat(record.getThrown()).isNull();
		});
	}

	@ParameterizedTest
	@CsvSource({ "403, true, refused the API key (HTTP 403)", "401, true, asked for authentication (HTTP 401)",
			"404, false, needs Datadog Agent 7.20 or newer", "404, true, answered HTTP 404",
			"400, false, rejected profile #1 with HTTP 400" })
	void explainsEveryAnswerThatIsNotRetried(int status, boolean agentless, String meaning) throws IOException {
		this.server.answer(status);
		UploadQueue queue = queue(this.server.url(), 4, FAST, Duration.ofSeconds(10), agentless);
		queue.offer(window(1));

		await().atMost(20, TimeUnit.SECONDS).until(() -> queue.status().failed() == 1);
		assertThat(this.server.requests()).hasSize(1);
		assertThat(queue.status().lastOutcome()).isEqualTo(UploadOutcome.FAILED.value());
		assertThat(queue.status().lastDetail()).isEqualTo("HTTP " + status);
		assertThat(warnings()).singleElement().satisfies((line) -> assertThat(line).contains(meaning));
	}

	@Test
	void retriesARefusedConnectionLogsOneLineWithoutAStackTraceAndGivesUpWhenTheWindowIsTooOld() throws IOException {
		RetryPolicy shortLived = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(600));
		UploadQueue queue = queue(closedPortUrl(), 4, shortLived, Duration.ofSeconds(10));
		QueuedWindow window = window(1);
		queue.offer(window);

		await().atMost(20, TimeUnit.SECONDS)
			.until(() -> queue.status().dropped().getOrDefault(DropReason.EXPIRED.value(), 0L) == 1);
		UploadStatus status = queue.status();
		assertThat(status.retried()).isGreaterThanOrEqualTo(2);
		assertThat(status.sent()).isZero();
		assertThat(status.queueDepth()).isZero();
		assertThat(window.file()).doesNotExist();
		assertThat(this.logs.records()).allSatisfy((record) -> assertThat(record.getThrown()).isNull());
		assertThat(warnings()).filteredOn((line) -> line.contains("connection refused"))
			.singleElement()
			.satisfies(
					(line) -> assertThat(line).contains("could not upload profile #1 to the Datadog agent at http://"));
		assertThat(warnings()).filteredOn((line) -> line.contains("gave up on profile #1")).hasSize(1);
	}

	@Test
	void givesAWindowUpWhenItExpiresNotAtItsNextRetry() throws IOException {
		// The next retry is ten minutes away, the window expires after 300 ms: it must be
		// dropped then,
		// without another try and without a new window waking the queue.
		RetryPolicy longBackoff = new RetryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(10),
				Duration.ofMillis(300));
		UploadQueue queue = queue(closedPortUrl(), 4, longBackoff, Duration.ofSeconds(10));
		QueuedWindow window = window(1);
		queue.offer(window);

		await().atMost(60, TimeUnit.SECONDS)
			.until(() -> queue.status().dropped().getOrDefault(DropReason.EXPIRED.value(), 0L) == 1);
		assertThat(queue.status().retried()).isEqualTo(1);
		assertThat(queue.status().queueDepth()).isZero();
		assertThat(window.file()).doesNotExist();
	}

	@Test
	void abandonsARequestTheServerNeverAnswersAfterTheUploadTimeoutAndTriesAgain() throws IOException {
		this.server.answer(IntakeServer.HANG, IntakeServer.HANG);
		UploadQueue queue = queue(this.server.url(), 4, FAST, Duration.ofMillis(300));
		queue.offer(window(1));

		await().atMost(20, TimeUnit.SECONDS).until(() -> queue.status().sent() == 1);
		assertThat(this.server.requests()).extracting(IntakeServer.Request::answeredWith)
			.containsExactly(IntakeServer.HANG, IntakeServer.HANG, 200);
		assertThat(queue.status().retried()).isEqualTo(2);
		assertThat(warnings()).singleElement()
			.satisfies((line) -> assertThat(line).contains("no answer in time (ddprof.upload.timeout)"));
	}

	@Test
	void staysBoundedOnDiskWhileTheAgentIsDownForManyWindowsAndCountsEveryDrop() throws IOException {
		RetryPolicy slow = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(1));
		int capacity = 3;
		UploadQueue queue = queue(closedPortUrl(), capacity, slow, Duration.ofSeconds(10));
		for (int i = 1; i <= 50; i++) {
			queue.offer(window(i));
			assertThat(queueFiles()).as("files waiting after window %d", i).isLessThanOrEqualTo(capacity + 1);
		}
		await().atMost(20, TimeUnit.SECONDS).until(() -> queue.status().retried() >= 3);

		UploadStatus status = queue.status();
		assertThat(status.queueDepth()).isBetween(capacity, capacity + 1);
		assertThat(status.sent()).isZero();
		assertThat(status.failed()).isZero();
		assertThat(status.dropped().keySet()).containsExactly(DropReason.QUEUE_FULL.value());
		assertThat(droppedTotal(status) + status.queueDepth()).isEqualTo(50);
		assertThat(queueFiles()).isLessThanOrEqualTo(capacity + 1);
		assertThat(warnings()).filteredOn((line) -> line.contains("upload queue is full (ddprof.upload.queue-size=3)"))
			.hasSize(1);

		queue.close(System.nanoTime());
		UploadStatus closed = queue.status();
		assertThat(closed.dropped().keySet()).containsExactly(DropReason.QUEUE_FULL.value(),
				DropReason.SHUTDOWN.value());
		assertThat(droppedTotal(closed)).isEqualTo(50);
		assertThat(closed.queueDepth()).isZero();
		assertThat(queueFiles()).isZero();
	}

	@Test
	void closeReturnsByTheDeadlineWhileAnUploadHangsAndCountsTheWindowAsDropped() throws IOException {
		this.server.answer(IntakeServer.HANG);
		// Without close interrupting it, the request would wait for a minute.
		UploadQueue queue = queue(this.server.url(), 4, FAST, Duration.ofMinutes(1));
		QueuedWindow window = window(1);
		queue.offer(window);
		await().atMost(20, TimeUnit.SECONDS).until(() -> this.server.requests().size() == 1);

		long started = System.nanoTime();
		queue.close(started + TimeUnit.MILLISECONDS.toNanos(300));
		long took = System.nanoTime() - started;

		assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(30));
		UploadStatus status = queue.status();
		assertThat(status.dropped()).containsEntry(DropReason.SHUTDOWN.value(), 1L);
		assertThat(status.sent()).isZero();
		assertThat(status.queueDepth()).isZero();
		assertThat(window.file()).doesNotExist();
		assertThat(warnings()).singleElement()
			.satisfies((line) -> assertThat(line).contains("1 profile(s) could not be uploaded"));
		await().atMost(20, TimeUnit.SECONDS).until(() -> senderThreads().isEmpty());
		assertThat(queue.status().retried()).isZero();
	}

	@Test
	void closeSendsEverythingWaitingOldestFirstWhenTheAgentAnswers() throws IOException {
		UploadQueue queue = queue(this.server.url(), 4, FAST, Duration.ofSeconds(10));
		queue.offer(window(1));
		queue.offer(window(2));
		queue.offer(window(3));
		queue.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));

		assertThat(this.server.requests()).extracting(UploadQueueTests::mainOf)
			.containsExactly("window 1", "window 2", "window 3");
		assertThat(queue.status().sent()).isEqualTo(3);
		assertThat(queue.status().dropped()).isEmpty();
		assertThat(queueFiles()).isZero();
	}

	@Test
	void closeWithTheAgentDownKeepsRetryingUntilTheDeadlineThenDropsWhatIsLeft() throws IOException {
		UploadQueue queue = queue(closedPortUrl(), 4, FAST, Duration.ofSeconds(10));
		queue.offer(window(1));
		queue.offer(window(2));
		queue.close(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));

		UploadStatus status = queue.status();
		assertThat(status.retried()).isPositive();
		assertThat(status.dropped()).containsExactly(Map.entry(DropReason.SHUTDOWN.value(), 2L));
		assertThat(queueFiles()).isZero();
	}

	@Test
	void aWindowOfferedAfterCloseIsDroppedAndDeletedAtOnce() throws IOException {
		UploadQueue queue = queue(this.server.url(), 4, FAST, Duration.ofSeconds(10));
		queue.close(System.nanoTime());
		QueuedWindow late = window(9);
		queue.offer(late);

		assertThat(late.file()).doesNotExist();
		assertThat(queue.status().dropped()).containsEntry(DropReason.SHUTDOWN.value(), 1L);
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void sendsFromOneDaemonThreadNamedDdprofUpload() throws IOException {
		UploadQueue queue = queue(this.server.url(), 4, FAST, Duration.ofSeconds(10));
		List<Thread> threadsBefore = senderThreads();
		queue.offer(window(1));
		await().atMost(20, TimeUnit.SECONDS).until(() -> queue.status().sent() == 1);

		assertThat(threadsBefore).isNotEmpty().allSatisfy((thread) -> assertThat(thread.isDaemon()).isTrue());
		queue.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
		await().atMost(20, TimeUnit.SECONDS).until(() -> senderThreads().isEmpty());
	}

	private UploadQueue queue(String agentUrl, int capacity, RetryPolicy retry, Duration timeout) {
		return queue(agentUrl, capacity, retry, timeout, false);
	}

	private UploadQueue queue(String agentUrl, int capacity, RetryPolicy retry, Duration timeout, boolean agentless) {
		ProfilerSettings settings = ProfilerSettings.builder().agentUrl(agentUrl).service("orders").build();
		UploadRequestFactory requests = new UploadRequestFactory(settings, RuntimeInfo::current);
		// With agentless set, the queue phrases its messages for Datadog's intake;
		// requests still go to the URL given.
		UploadQueue queue = new UploadQueue(new JdkHttpUploadTransport(timeout), requests::create,
				DatadogDestination.of(requests.endpoint(), "set in the test", agentless ? "an-api-key" : null),
				capacity, retry, new ProblemLog(Clock.systemUTC(), Duration.ofMinutes(5)), Clock.systemUTC());
		this.queues.add(queue);
		return queue;
	}

	private QueuedWindow window(long sequence) throws IOException {
		Path file = this.temp.resolve("queue").resolve("window-" + sequence + ".jfr");
		Files.createDirectories(file.getParent());
		Files.writeString(file, "window " + sequence);
		return new QueuedWindow(sequence, START.plusSeconds(60 * sequence), START.plusSeconds(60 * (sequence + 1)),
				"periodic", file, Files.size(file), System.nanoTime());
	}

	private long queueFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.temp.resolve("queue"))) {
			return files.count();
		}
	}

	private List<String> warnings() {
		return this.logs.records().stream().map(LogRecord::getMessage).toList();
	}

	/** All windows dropped, whatever the reason. */
	private static long droppedTotal(UploadStatus status) {
		return status.dropped().values().stream().mapToLong(Long::longValue).sum();
	}

	private static List<Thread> senderThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(DatadogDestination.THREAD_NAME) && thread.isAlive())
			.toList();
	}

	private static String mainOf(IntakeServer.Request request) {
		return new String(request.parts().get(1).content(), StandardCharsets.UTF_8);
	}

	private static String closedPortUrl() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return "http://127.0.0.1:" + socket.getLocalPort();
		}
	}

}
