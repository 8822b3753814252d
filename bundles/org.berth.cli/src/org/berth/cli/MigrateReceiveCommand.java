package org.berth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSpec;
import org.berth.core.linux.LocalEngine;
import org.berth.core.linux.MigrationLanding;
import org.berth.core.wire.SpecJson;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth migrate-receive NAME}: the target's side of {@code berth migrate}, run there over ssh by the source.
 * Reads the container's spec (JSON) on standard input, defines it, and prints where its files go (JSON).
 * {@code --resume} opens the engine, prints "ready", reads the name of the checkpoint the source sent on its input and
 * resumes it (printing "running PID"); an input that ends first means the source gave up. {@code --abandon} removes
 * what a failed migration left. Not for people: hidden from the help.
 */
@Command(name = "migrate-receive", hidden = true, description = "The target's side of berth migrate.")
final class MigrateReceiveCommand extends BaseCommand {

	private static final int MAX_SPEC = 1 << 20;

	@Parameters(index = "0", paramLabel = "NAME", description = "The container coming.")
	String name;

	@Option(names = "--abandon", description = "Remove the container a failed migration defined here.")
	boolean abandon;

	@Option(names = "--resume", description = "Wait for the checkpoint's name on standard input, then resume it.")
	boolean resume;

	MigrateReceiveCommand(Context ctx) {
		super(ctx);
	}

	@Override
	public Integer call() throws BerthException {
		ContainerEngine engine = ctx.engine();
		if (!(engine instanceof LocalEngine local)) {
			throw new BerthException("receive", name, "a migration is received by root's berth in its own process"
					+ " (BERTH_AGENT=0, as root)");
		}
		if (abandon) {
			Context.await(local.abandonMigration(name));
			return 0;
		}
		if (resume) {
			ctx.out.println("ready");
			ctx.out.flush();
			String checkpoint;
			try {
				checkpoint = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
						StandardCharsets.UTF_8)).readLine();
			} catch (IOException e) {
				checkpoint = null;
			}
			if (checkpoint == null || checkpoint.isBlank()) {
				ctx.err.println("berth: the migration of \"" + name + "\" was given up before it reached this host");
				return 3;
			}
			org.berth.core.ContainerSnapshot c = Context.await(local.restoreCheckpoint(name, checkpoint.strip()));
			ctx.out.println("running " + c.initPid());
			return 0;
		}
		ContainerSpec spec;
		try {
			byte[] in = System.in.readNBytes(MAX_SPEC + 1);
			if (in.length > MAX_SPEC) {
				throw new BerthException("receive", name, "the spec on standard input is over " + MAX_SPEC + " bytes");
			}
			spec = SpecJson.fromJson(JsonParser.parseString(new String(in, StandardCharsets.UTF_8))
					.getAsJsonObject());
		} catch (IOException | JsonParseException | IllegalStateException | IllegalArgumentException e) {
			throw new BerthException("receive", name, "standard input holds no container spec: " + e.getMessage());
		}
		if (!spec.name().equals(name)) {
			throw new BerthException("receive", name, "the spec on standard input is of \"" + spec.name() + "\"");
		}
		MigrationLanding l = Context.await(local.receiveMigration(spec));
		Map<String, Object> o = new LinkedHashMap<>();
		o.put("container", l.container());
		o.put("folder", l.folder().toString());
		o.put("criu", l.criu());
		Json.print(ctx.out, o);
		return 0;
	}
}
