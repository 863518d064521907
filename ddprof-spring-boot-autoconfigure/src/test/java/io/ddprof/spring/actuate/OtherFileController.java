package io.ddprof.spring.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.core.io.Resource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller of the application's that sends a file as the profiler endpoint sends its
 * downloads, a {@link DumpFile}: {@link DumpFileNameAdvice} must leave its response
 * alone.
 */
@RestController
class OtherFileController {

	static final String PATH = "/other-file";

	static final String CONTENT = "not a profile\n";

	@GetMapping(PATH)
	Resource otherFile() throws IOException {
		Path file = Files.writeString(Files.createTempFile("ddprof-other", ".txt"), CONTENT);
		return new DumpFile(file, "other.txt", false);
	}

}
