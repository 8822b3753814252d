package org.berth.core.incus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.berth.core.BerthException;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerState;
import org.berth.core.IdMap;
import org.berth.core.Limits;
import org.berth.core.NamespaceMode;
import org.berth.core.NamespaceType;
import org.berth.core.NoSuchContainerException;
import org.berth.core.Usage;
import org.berth.core.incus.IncusException;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

/** Incus's JSON (as Incus 6.0.4 sent it here) and Berth's records, both ways. */
class IncusJsonTest {

	/** One instance of {@code GET /1.0/instances?recursion=1}, running, with limits (config trimmed). */
	static final String RUNNING = """
			{"architecture":"x86_64","config":{"image.os":"busybox","image.release":"1:1.35.0-4+deb12u1+b1",
			 "limits.cpu":"1","limits.memory":"64MiB","limits.processes":"100",
			 "volatile.base_image":"0bba86eea8c141cd05a10c374b246b331d3c8871aa96360b43565df81b575216",
			 "volatile.last_state.power":"RUNNING"},
			 "devices":{},"ephemeral":false,"profiles":["default"],"stateful":false,"description":"a test",
			 "created_at":"2026-12-04T11:12:48.314117188Z",
			 "expanded_config":{"image.os":"busybox","limits.cpu":"1","limits.memory":"64MiB"},
			 "expanded_devices":{"root":{"path":"/","pool":"default","type":"disk"}},
			 "name":"t1","status":"Running","status_code":103,"last_used_at":"2026-12-04T11:12:57.847145852Z",
			 "location":"none","type":"container","project":"default"}
			""";

	/** The state endpoint's metadata of that instance. */
	static final String STATE = """
			{"status":"Running","status_code":103,"disk":{},
			 "memory":{"usage":573440,"usage_peak":1191936,"total":24683756000,"swap_usage":0,"swap_usage_peak":0},
			 "network":{"lo":{"addresses":[],"counters":{"bytes_received":7,"bytes_sent":7},"type":"loopback"},
			            "eth0":{"addresses":[],"counters":{"bytes_received":1000,"bytes_sent":200},"type":"broadcast"}},
			 "pid":17399,"processes":2,"cpu":{"usage":27124863,"allocated_time":2000000000},
			 "started_at":"2026-12-04T11:12:57.852274499Z","os_info":null}
			""";

	static final String STOPPED = """
			{"config":{"image.os":"Debian"},"description":"","name":"web-1","status":"Stopped","status_code":102,
			 "last_used_at":"0001-01-01T00:00:00Z","type":"container"}
			""";

	@Test
	void aRunningInstanceWithItsStateIsARunningContainer() {
		ContainerSnapshot s = IncusJson.snapshot(IncusJson.parse(RUNNING), IncusJson.parse(STATE));
		assertEquals("t1", s.name());
		assertEquals(ContainerState.RUNNING, s.state());
		assertEquals(17399, s.initPid());
		assertEquals(Instant.parse("2026-12-04T11:12:57.852274499Z"), s.startedAt());
		assertEquals("busybox", s.spec().template());
		assertEquals("a test", s.spec().description());
		assertEquals(new Limits(64L << 20, null, 1.0, null, null, 100L), s.spec().limits());
	}

	@Test
	void itsUserNamespaceAndIdMapsAreAsIncusConfiguredThem() {
		ContainerSnapshot mapped = IncusJson.snapshot(
				IncusJson
						.parse("""
								{"name":"web","status":"Running","config":{
								 "volatile.idmap.current":"[{\\"Isuid\\":true,\\"Isgid\\":false,\\"Hostid\\":1000000,\\"Nsid\\":0,\\"Maprange\\":1000000000},{\\"Isuid\\":false,\\"Isgid\\":true,\\"Hostid\\":1000000,\\"Nsid\\":0,\\"Maprange\\":1000000000}]",
								 "volatile.last_state.idmap":"[]"}}
								"""),
				null);
		assertEquals(NamespaceMode.NEW, mapped.spec().namespaces().get(NamespaceType.USER).mode());
		assertEquals(List.of(new IdMap(0, 1_000_000, 1_000_000_000)), mapped.spec().uidMaps());
		assertEquals(List.of(new IdMap(0, 1_000_000, 1_000_000_000)), mapped.spec().gidMaps());
		assertEquals(NamespaceMode.HOST, mapped.spec().namespaces().get(NamespaceType.TIME).mode());

		ContainerSnapshot privileged = IncusJson.snapshot(IncusJson.parse("""
				{"name":"old","status":"Stopped","config":{"security.privileged":"true"},
				 "expanded_config":{"security.privileged":"true"}}
				"""), null);
		assertEquals(NamespaceMode.HOST, privileged.spec().namespaces().get(NamespaceType.USER).mode());
		assertEquals(List.of(), privileged.spec().uidMaps());

		ContainerSnapshot strange = IncusJson.snapshot(IncusJson.parse("""
				{"name":"x","status":"Stopped","config":{"volatile.idmap.next":"not json"}}
				"""), null);
		assertEquals(List.of(), strange.spec().uidMaps(), "shown without maps, not refused");
	}

	@Test
	void withoutItsStateTheStartTimeIsTheLastUse() {
		ContainerSnapshot s = IncusJson.snapshot(IncusJson.parse(RUNNING), null);
		assertEquals(ContainerState.RUNNING, s.state());
		assertEquals(0, s.initPid());
		assertEquals(Instant.parse("2026-12-04T11:12:57.847145852Z"), s.startedAt());
	}

	@Test
	void aStoppedInstanceHasNoPidNorStartTime() {
		ContainerSnapshot s = IncusJson.snapshot(IncusJson.parse(STOPPED), null);
		assertEquals(ContainerState.STOPPED, s.state());
		assertEquals(0, s.initPid());
		assertNull(s.startedAt());
		assertEquals("debian", s.spec().template());
		assertTrue(s.spec().limits().isUnlimited());
	}

	@Test
	void statusWords() {
		assertEquals(ContainerState.RUNNING, IncusJson.state("Running"));
		assertEquals(ContainerState.FROZEN, IncusJson.state("Frozen"));
		assertEquals(ContainerState.STOPPED, IncusJson.state("Stopped"));
		assertEquals(ContainerState.STOPPED, IncusJson.state("Error"));
		assertEquals(ContainerState.STARTING, IncusJson.state("Starting"));
		assertEquals(ContainerState.STOPPING, IncusJson.state("Stopping"));
	}

	@Test
	void byteSizesInIncusUnits() {
		assertEquals(64L << 20, IncusJson.byteSize("64MiB"));
		assertEquals(1_000_000_000L, IncusJson.byteSize("1GB"));
		assertEquals(512L, IncusJson.byteSize("512"));
		assertEquals(512L, IncusJson.byteSize("512B"));
		assertEquals(3L << 29, IncusJson.byteSize("1.5GiB"));
		assertNull(IncusJson.byteSize("50%"));
		assertNull(IncusJson.byteSize(null));
		assertEquals("64MiB", IncusJson.formatBytes(64L << 20));
		assertEquals("2GiB", IncusJson.formatBytes(2L << 30));
		assertEquals("5000000B", IncusJson.formatBytes(5_000_000));
	}

	@Test
	void limitsBecomeInstanceConfigAndBack() {
		Limits l = new Limits(128L << 20, null, 2.0, null, null, 50L);
		Map<String, String> c = IncusJson.config(l);
		assertEquals("128MiB", c.get("limits.memory"));
		assertEquals("2", c.get("limits.cpu"));
		assertEquals("", c.get("limits.cpu.allowance"));
		assertEquals("50", c.get("limits.processes"));
		JsonObject config = new JsonObject();
		c.forEach(config::addProperty);
		assertEquals(l, IncusJson.limits(config));

		Map<String, String> half = IncusJson.config(Limits.NONE.withCpus(0.5));
		assertEquals("50ms/100ms", half.get("limits.cpu.allowance"));
		assertEquals("", half.get("limits.cpu"));
		assertEquals("", half.get("limits.memory"));
		JsonObject h = new JsonObject();
		half.forEach(h::addProperty);
		assertEquals(0.5, IncusJson.limits(h).cpus());

		JsonObject set = new JsonObject();
		set.addProperty("limits.cpu", "0-1,3");
		assertEquals("0-1,3", IncusJson.limits(set).cpuset());
	}

	@Test
	void whatIncusHasNoLimitForIsRefusedWithASentence() {
		UnsupportedOperationException swap = assertThrows(UnsupportedOperationException.class, () -> IncusJson
				.config(Limits.NONE.withMemorySwapBytes(1L << 30)));
		assertTrue(swap.getMessage().contains("limits.memory.swap"), swap.getMessage());
		assertThrows(UnsupportedOperationException.class, () -> IncusJson.config(new Limits(null, null, null, 200,
				null, null)));
	}

	@Test
	void usageFromTheStateEndpoint() {
		Instant at = Instant.parse("2026-12-04T12:00:00Z");
		Usage u = IncusJson.usage(IncusJson.parse(STATE), new Limits(64L << 20, null, null, null, null, null), at);
		assertEquals(at, u.at());
		assertEquals(27124863, u.cpuNanos());
		assertEquals(573440, u.memoryBytes());
		assertEquals(1191936, u.memoryPeakBytes());
		assertEquals(64L << 20, u.memoryLimitBytes());
		assertEquals(2, u.pids());
		assertEquals(-1, u.pidsLimit());
		assertEquals(1000, u.netRxBytes()); // lo does not count
		assertEquals(200, u.netTxBytes());

		JsonObject noNetwork = IncusJson.parse(STATE);
		noNetwork.getAsJsonObject("network").remove("eth0");
		assertEquals(-1, IncusJson.usage(noNetwork, Limits.NONE, at).netRxBytes());
	}

	@Test
	void lifecycleEventsNameTheirInstance() {
		String restarted = """
				{"location":"none","metadata":{"action":"instance-restarted","name":"t1","project":"default",
				 "requestor":{"address":"@","protocol":"unix","username":"root"},"source":"/1.0/instances/t1"},
				 "project":"default","timestamp":"2026-12-04T11:13:10.311259955Z","type":"lifecycle"}
				""";
		assertEquals("t1", IncusJson.eventInstance(IncusJson.parse(restarted)));
		assertEquals("instance-restarted", IncusJson.eventAction(IncusJson.parse(restarted)));
		String snapshot = """
				{"type":"lifecycle","metadata":{"action":"instance-snapshot-created",
				 "source":"/1.0/instances/my%20box/snapshots/s1?project=default"}}
				""";
		assertEquals("my box", IncusJson.eventInstance(IncusJson.parse(snapshot)));
		String image = """
				{"type":"lifecycle","metadata":{"action":"image-created","source":"/1.0/images/0bba86ee"}}
				""";
		assertNull(IncusJson.eventInstance(IncusJson.parse(image)));
		assertNull(IncusJson.eventInstance(IncusJson.parse("{\"type\":\"logging\",\"metadata\":{}}")));
	}

	@Test
	void controlSocketMessagesAsIncusReadsThem() {
		// the arguments of window-resize are strings in Incus's api.InstanceExecControl
		assertEquals("{\"command\":\"window-resize\",\"args\":{\"width\":\"120\",\"height\":\"40\"}}",
				IncusTerminal.resizeMessage(120, 40));
		assertEquals("{\"command\":\"signal\",\"signal\":15}", IncusTerminal.signalMessage(15));
	}

	@Test
	void operations() {
		String async = """
				{"type":"async","status":"Operation created","status_code":100,
				 "operation":"/1.0/operations/bf87f5ed-f980-48fd-b707-2f8f1d2e9185","error_code":0,"error":"",
				 "metadata":{"id":"bf87f5ed-f980-48fd-b707-2f8f1d2e9185","class":"task","status":"Running"}}
				""";
		assertEquals("bf87f5ed-f980-48fd-b707-2f8f1d2e9185", IncusJson.operationId(IncusJson.parse(async)));
		// a wait whose time is up while the operation runs (measured: `GET /1.0/operations/ID/wait?timeout=1` on a
		// running `sleep 100`) is not the operation's failure
		String timedOut = "{\"type\":\"error\",\"status\":\"\",\"status_code\":0,\"operation\":\"\",\"error_code\":500,"
				+ "\"error\":\"context deadline exceeded\",\"metadata\":null}";
		assertTrue(IncusJson.waitTimedOut(RestEngine.error("exec", "t1", "/1.0/operations/x/wait", 500, timedOut)));
		assertFalse(IncusJson.waitTimedOut(RestEngine.error("start", "t1", "/1.0/operations/x/wait", 500,
				"{\"type\":\"error\",\"error\":\"The instance is already running\"}")));
	}

	@Test
	void incusErrorsKeepIncusSentence() {
		String notFound = "{\"type\":\"error\",\"status\":\"\",\"status_code\":0,\"operation\":\"\",\"error_code\":404,"
				+ "\"error\":\"Failed to fetch instance \\\"nope\\\" in project \\\"default\\\": Instance not found\","
				+ "\"metadata\":null}";
		BerthException e = RestEngine.error("start", "nope", "/1.0/instances/nope/state", 404, notFound);
		assertInstanceOf(NoSuchContainerException.class, e);
		assertEquals("nope", e.target());

		String running = "{\"type\":\"error\",\"error_code\":400,\"error\":\"Instance is running\",\"metadata\":null}";
		BerthException busy = RestEngine.error("destroy", "t1", "/1.0/instances/t1", 400, running);
		assertInstanceOf(IncusException.class, busy);
		assertEquals("Instance is running", busy.getMessage());
		assertEquals(400, ((IncusException) busy).status());
		assertEquals("destroy", busy.operation());

		BerthException opGone = RestEngine.error("start", "t1", "/1.0/operations/x/wait", 404,
				"{\"type\":\"error\",\"error\":\"Operation not found\"}");
		assertInstanceOf(IncusException.class, opGone);
		assertEquals("Operation not found", opGone.getMessage());

		BerthException bare = RestEngine.error("list", null, "/1.0/instances", 502, "<html>bad gateway</html>");
		assertTrue(bare.getMessage().contains("502"), bare.getMessage());
	}
}
