package io.ddprof.export.datadog;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RuntimeInfo}. */
class RuntimeInfoTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"12:memory:/docker/3726184226f5d3147c25fdeab5b60097e378e8a720503a5e19ecfdf29f869860|3726184226f5d3147c25fdeab5b60097e378e8a720503a5e19ecfdf29f869860",
			"11:perf_event:/kubepods/besteffort/pod3d274242-8ee0-11e9-a8a6-1e68d864ef1a/3e74d3fd9db4c9dd921ae05c2502fb984d0cde1b36e581b13f79c639da4518a1|3e74d3fd9db4c9dd921ae05c2502fb984d0cde1b36e581b13f79c639da4518a1",
			"1:name=systemd:/system.slice/docker-cde7c2bab394630a42d73dc610b9c57415dced996106665d427f6d0566594411.scope|cde7c2bab394630a42d73dc610b9c57415dced996106665d427f6d0566594411",
			"1:name=systemd:/ecs/34dc0b5e626f2c5c4c5170e34b10e765-1234567890|34dc0b5e626f2c5c4c5170e34b10e765-1234567890",
			"1:name=systemd:/uuid/34dc0b5e-626f-2c5c-4c51-70e34b10e765|34dc0b5e-626f-2c5c-4c51-70e34b10e765" })
	void findsTheContainerIdInProcSelfCgroup(String line, String id) {
		assertThat(RuntimeInfo.containerId("0::/\n" + line + "\n")).isEqualTo(id);
	}

	@Test
	void findsNoContainerIdOnAHost() {
		assertThat(RuntimeInfo.containerId("0::/user.slice/user-1000.slice/session-2.scope\n")).isNull();
		assertThat(RuntimeInfo.containerId("")).isNull();
		assertThat(RuntimeInfo.containerId(null)).isNull();
	}

	@Test
	void processTagsOfAnExecutableJarNameTheJarItsDirectoryAndTheWorkingDirectory() {
		String jar = Path.of("apps", "orders", "Orders-Service.jar").toString();
		String workdir = Path.of("apps", "orders").toAbsolutePath().toString();
		assertThat(RuntimeInfo.processTags(jar + " --server.port=8080", workdir)).isEqualTo(
				"entrypoint.basedir:orders,entrypoint.name:orders-service,entrypoint.type:jar,entrypoint.workdir:orders");
	}

	@Test
	void processTagsOfAMainClassNameTheClass() {
		assertThat(RuntimeInfo.processTags("com.example.OrdersApplication --debug", null))
			.isEqualTo("entrypoint.name:com.example.ordersapplication,entrypoint.type:class");
		assertThat(RuntimeInfo.processTags(null, null)).isEmpty();
	}

	@Test
	void describesThisJvmWithOneRuntimeIdForItsWholeLife() {
		RuntimeInfo info = RuntimeInfo.current();
		assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
		assertThat(info.javaVersion()).isEqualTo(System.getProperty("java.version"));
		assertThat(info.vmName()).isEqualTo(System.getProperty("java.vm.name"));
		assertThat(info.host()).isNotBlank();
		assertThat(info.runtimeId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
		assertThat(RuntimeInfo.current().runtimeId()).isEqualTo(info.runtimeId());
		assertThat(info.ddprofVersion()).doesNotContain("${").isNotEqualTo("unknown");
	}

}
