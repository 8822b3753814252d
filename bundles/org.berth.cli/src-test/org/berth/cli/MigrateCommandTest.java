package org.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.berth.core.ContainerSpec;
import org.berth.core.MigrationProgress;
import org.berth.core.MigrationProgress.Phase;
import org.berth.core.MigrationRequest;
import org.berth.core.MigrationResult;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code berth migrate}: what it asks the engine, the phases on stderr, the result on stdout. */
class MigrateCommandTest {

	private MigrationRequest asked;

	private final FakeLocalEngine engine = new FakeLocalEngine() {
		@Override
		public CompletableFuture<MigrationResult> migrate(String name, MigrationRequest request,
				Consumer<MigrationProgress> progress) {
			asked = request;
			progress.accept(new MigrationProgress(Phase.CHECK, -1, "asking ssh://host2 to take \"c1\""));
			for (double f : new double[]{0, 0.01, 0.02, 0.5, 0.51, 1}) {
				progress.accept(new MigrationProgress(Phase.TRANSFER, f, "sending the files of \"c1\""));
			}
			progress.accept(new MigrationProgress(Phase.DUMP, -1, "freezing \"c1\" and writing its processes"));
			return CompletableFuture.completedFuture(new MigrationResult(name, "ssh://host2", true,
					Duration.ofMillis(912), 13_000_000, Map.of(Phase.CHECK, Duration.ofMillis(800), Phase.DUMP,
							Duration.ofMillis(400))));
		}
	};

	private final Cli cli = new Cli(engine.add(ContainerSpec.builder("c1").build()));

	@Test
	void thePhasesGoToStderrInTenthsAndTheResultToStdout() {
		Cli.Result r = cli.run("migrate", "c1", "--to", "ssh://host2", "--tcp-established");
		assertEquals(0, r.code(), r::toString);
		assertEquals("c1: running on ssh://host2; down 0.912 s, 12.4 MiB sent\n", r.out());
		assertEquals(List.of("check: asking ssh://host2 to take \"c1\"", "transfer   0%: sending the files of \"c1\"",
				"transfer  50%: sending the files of \"c1\"", "transfer 100%: sending the files of \"c1\"",
				"freeze and dump: freezing \"c1\" and writing its processes"), r.err().lines().toList());
		assertEquals(new MigrationRequest("ssh://host2", List.of(), null, true), asked);
	}

	@Test
	void jsonHasTheDowntimeBytesAndPhasesInMilliseconds() {
		Cli.Result r = cli.run("migrate", "c1", "--to", "ssh://host2", "--json", "--remote-berth", "/opt/berth/berth");
		assertEquals(0, r.code(), r::toString);
		JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
		assertEquals(912, o.get("downtimeMs").getAsLong());
		assertEquals(13_000_000, o.get("bytesSent").getAsLong());
		assertEquals("{\"check\":800,\"dump\":400}", o.get("phasesMs").toString());
		assertEquals("/opt/berth/berth", asked.remoteBerth());
	}

	@Test
	void withoutATargetItSaysSo() {
		Cli.Result r = cli.run("migrate", "c1");
		assertEquals(2, r.code(), r::toString);
		assertTrue(r.err().contains("missing required option: '--to=TARGET' (see berth migrate --help)"), r::toString);
		Cli.Result plain = new Cli(new FakeLocalEngine().add(ContainerSpec.builder("c1").build())).run("migrate",
				"c1", "--to", "ssh://host2");
		assertEquals(1, plain.code());
		assertTrue(plain.err().contains("cannot migrate"), plain::toString);
	}
}
