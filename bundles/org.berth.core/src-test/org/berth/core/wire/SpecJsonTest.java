package org.berth.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.berth.core.ContainerKind;
import org.berth.core.ContainerSpec;
import org.berth.core.IdMap;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

class SpecJsonTest {

	private static List<ContainerSpec> specs() {
		return List.of(
				ContainerSpec.builder("plain").build(),
				ContainerSpec.builder("web").kind(ContainerKind.APPLICATION).rootfs("/srv/web").init("/bin/httpd", "-f")
						.namespace(NamespaceType.NET, NamespaceMode.HOST).share(NamespaceType.UTS, "plain")
						.limits(new Limits(256L << 20, 512L << 20, 0.5, 200, "0-1", 64L))
						.dropCapabilities(Set.of("CAP_SYS_TIME", "net_admin")).haltSignal("SIGTERM").autostart(true)
						.seccomp("/etc/berth/web.seccomp").bootOrder(-3).bootDelaySeconds(20).build(),
				ContainerSpec.builder("veth").network(NetworkSpec.veth("br0", "10.1.2.3/24"))
						.userNamespace(100000, 65536).gidMap(new IdMap(0, 200000, 10)).monotonicOffsetSeconds(-30)
						.boottimeOffsetSeconds(86400).limits(Limits.NONE.withCpus(1.25)).build(),
				ContainerSpec.builder("host-net").network(NetworkSpec.HOST).dropCapabilities(Set.of())
						.seccomp("unconfined").build());
	}

	@Test
	void writesWhatGsonsReflectiveBindingWrote() {
		// config.json files on disk were written by Gson's reflective binding: the same tree, field by field
		Gson reflective = new Gson();
		for (ContainerSpec spec : specs()) {
			assertEquals(reflective.toJsonTree(spec), SpecJson.toJson(spec), spec.name());
		}
	}

	@Test
	void readsBackWhatItWrites() {
		for (ContainerSpec spec : specs()) {
			String text = SpecJson.toJson(spec).toString();
			assertEquals(spec, SpecJson.fromJson(JsonParser.parseString(text).getAsJsonObject()), text);
		}
	}

	@Test
	void readsAConfigAsEarlierVersionsWroteIt() {
		String config = """
				{"name": "c1", "kind": "SYSTEM", "template": "busybox",
				 "namespaces": {"MNT": {"type": "MNT", "mode": "NEW"}, "UTS": {"type": "UTS", "mode": "SHARE",
				   "shareWith": "c0"}, "USER": {"type": "USER", "mode": "HOST"}},
				 "uidMaps": [], "gidMaps": [], "monotonicOffsetSeconds": 0, "boottimeOffsetSeconds": 0,
				 "limits": {"memoryBytes": 268435456}, "network": {"mode": "NONE"},
				 "dropCapabilities": ["CAP_MAC_ADMIN", "CAP_SYS_TIME"], "haltSignal": "SIGUSR2", "autostart": false,
				 "somethingNewer": [1, 2]}""";
		ContainerSpec spec = SpecJson.fromJson(JsonParser.parseString(config).getAsJsonObject());
		assertEquals(ContainerSpec.builder("c1").share(NamespaceType.UTS, "c0")
				.namespace(NamespaceType.USER, NamespaceMode.HOST) // privileged as it was: written, not defaulted
				.limits(Limits.NONE.withMemoryBytes(268435456L))
				.dropCapabilities(Set.of("CAP_MAC_ADMIN", "CAP_SYS_TIME")).build(), spec);
	}

	@Test
	void fillsWhatAnOlderFileLacks() {
		assertEquals(ContainerSpec.builder("old").build(),
				SpecJson.fromJson(JsonParser.parseString("{\"name\": \"old\"}").getAsJsonObject()));
		assertEquals(ContainerSpec.builder("old").network(NetworkSpec.HOST).build(), SpecJson.fromJson(JsonParser
				.parseString("{\"name\": \"old\", \"network\": {\"mode\": \"HOST\"}}").getAsJsonObject()));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{}| no container spec in it",
			"{`name`: `a`, `kind`: `VM`}| kind: \"VM\" is not one of SYSTEM, APPLICATION",
			"{`name`: `a`, `limits`: {`cpus`: `half`}}| limits.cpus: \"half\" is not a number",
			"{`name`: `a`, `limits`: {`pids`: 1.5}}| limits.pids: 1.5 is not a whole number",
			"{`name`: `a`, `init`: `/sbin/init`}| init: \"/sbin/init\" is not a list",
			"{`name`: `a`, `autostart`: `yes`}| autostart: \"yes\" is not true or false",
			"{`name`: `a`, `namespaces`: {`NETWORK`: {`mode`: `NEW`}}}| namespaces: \"NETWORK\" is not one of MNT, UTS,"
					+ " IPC, PID, NET, USER, CGROUP, TIME",
			"{`name`: `a`, `uidMaps`: [{`insideId`: 0, `outsideId`: 1000, `count`: 0}]}| id map \"0 1000 0\" maps no"
					+ " IDs; the count must be at least 1",
	})
	void saysWhatDoesNotFit(String json, String sentence) {
		JsonObject o = JsonParser.parseString(json.replace('`', '"')).getAsJsonObject();
		assertEquals(sentence.strip(), assertThrows(JsonParseException.class, () -> SpecJson.fromJson(o)).getMessage());
	}
}
