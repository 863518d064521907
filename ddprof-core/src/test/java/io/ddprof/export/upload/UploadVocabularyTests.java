package io.ddprof.export.upload;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The words of {@link DropReason} and {@link UploadOutcome} are what users see in status,
 * metric tags and problem keys: other tests use the constants, this one says what they
 * must stay.
 */
class UploadVocabularyTests {

	@Test
	void dropReasonsKeepTheirNames() {
		assertThat(Arrays.stream(DropReason.values()).map(DropReason::value)).containsExactly("queue-full", "expired",
				"shutdown", "spool-error", "unsupported-url", "rejected");
	}

	@Test
	void outcomesKeepTheirNames() {
		assertThat(Arrays.stream(UploadOutcome.values()).map(UploadOutcome::value)).containsExactly("none", "sent",
				"retried", "failed", "dropped");
	}

}
