package io.ddprof;

import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.ddprof.config.ProfilerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent jar given to child JVMs, copied out of an executable jar. */
class ChildLaunchTests {

	@TempDir
	Path temp;

	@Test
	void aNestedJarIsCopiedWhereNoOtherUserCouldHavePutAJarFirst() throws Exception {
		Path outer = this.temp.resolve("app.jar");
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(outer))) {
			zip.putNextEntry(new ZipEntry("BOOT-INF/lib/ddprof-core.jar"));
			zip.write("the real agent".getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
		}
		Path shared = Files.createDirectories(this.temp.resolve("tmp"));
		// The name the agent jar used to get in the shared temp directory, planted by
		// another user.
		Path planted = shared.resolve("ddprof-agent-" + ProcessHandle.current().pid() + "-ddprof-core.jar");
		try (OutputStream out = Files.newOutputStream(planted)) {
			out.write("someone else's code".getBytes(StandardCharsets.UTF_8));
		}
		URL nested = URI.create("jar:" + outer.toUri() + "!/BOOT-INF/lib/ddprof-core.jar").toURL();

		Path extracted = ChildLaunch.extract(nested, "ddprof-core.jar", shared);

		assertThat(extracted).isNotEqualTo(planted).hasContent("the real agent");
		assertThat(Files.getPosixFilePermissions(extracted)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(Files.getPosixFilePermissions(extracted.getParent()))
			.isEqualTo(PosixFilePermissions.fromString("rwx------"));
		assertThat(ChildLaunch.extract(nested, "ddprof-core.jar", shared)).as("copied once").isEqualTo(extracted);
	}

	@Test
	void tagsOnlyDatadogVariablesAllowReachTheChildThroughThoseVariablesNotDdprofTags() throws Exception {
		ProfilerSettings settings = ProfilerSettings.builder()
			.tags(Map.of("team", "", "1zone", "a", "region", "eu"))
			.build();
		assertThat(ChildLaunch.variables(settings)).containsEntry("DDPROF_TAGS", "region:eu");
	}

}
