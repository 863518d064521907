package io.ddprof.problem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link ProblemLog}. */
class ProblemLogTests {

	@Test
	void writesOneLinePerProblemKindPerIntervalToWhereItIsTold() {
		List<String> lines = new CopyOnWriteArrayList<>();
		ProblemLog log = new ProblemLog(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
				Duration.ofMinutes(5));
		log.logTo(lines::add);
		log.report("upload.refused", "could not upload profile #1");
		log.report("upload.refused", "could not upload profile #2");
		log.report("upload.rejected.413", "profile #3 too large");
		assertThat(lines).containsExactly("ddprof: could not upload profile #1", "ddprof: profile #3 too large");
		assertThat(log.recent()).hasSize(3);
	}

}
