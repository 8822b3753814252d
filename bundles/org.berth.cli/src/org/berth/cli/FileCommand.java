package org.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import org.berth.core.BerthException;
import org.berth.core.ContainerEngine;
import org.berth.core.linux.LocalEngine;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth file push|pull}: files between this host and a container's root file system. Paths inside are
 * resolved within the container's root, so a symbolic link planted there never leads to a host file.
 */
@Command(name = "file", description = "Copy files into and out of a container's root file system.",
		footer = {"", "Examples:", "  berth file push ./site.conf c1:/etc/httpd/",
				"  berth file pull -r c1:/var/log ./logs"})
final class FileCommand extends BaseCommand {

	FileCommand(Context ctx) {
		super(ctx);
	}

	static CommandLine commandLine(Context ctx) {
		CommandLine cl = new CommandLine(new FileCommand(ctx));
		cl.addSubcommand("push", new Push(ctx));
		cl.addSubcommand("pull", new Pull(ctx));
		return cl;
	}

	@Override
	public Integer call() {
		throw usage("say what to do: push or pull");
	}

	/** NAME:/path. */
	record Place(String name, String path) {
	}

	static Place place(BaseCommand c, String label, String text) {
		int colon = text.indexOf(':');
		if (colon <= 0 || colon == text.length() - 1) {
			throw c.usage(
					label + ": \"" + text + "\" names no file in a container; give NAME:/path, e.g. c1:/etc/hosts");
		}
		return new Place(text.substring(0, colon), text.substring(colon + 1));
	}

	@Command(name = "push", description = "Copy a local file (a folder with -r) into the container; into a folder"
			+ " when the target is one. Modes are kept, owners become the same ids inside the container.")
	static final class Push extends BaseCommand {

		@Option(names = {"-r", "--recursive"}, description = "Copy a folder with what is in it.")
		boolean recursive;

		@Parameters(index = "0", paramLabel = "LOCAL", description = "The file or folder on this host.")
		Path local;

		@Parameters(index = "1", paramLabel = "NAME:/path", description = "The container and the path inside it.")
		String target;

		Push(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			Place p = place(this, "NAME:/path", target);
			if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
				throw usage("LOCAL: there is no file " + local);
			}
			ContainerEngine engine = ctx.engineFor(List.of(p.name()));
			if (!(engine instanceof LocalEngine le)) {
				if (recursive) {
					// through the agent: a tar archive made here by tar with this user's rights, streamed
					int n = pushTree(engine, p, local);
					ctx.out.println(target + ": " + n + (n == 1 ? " file" : " files") + " copied");
					return 0;
				}
				// through the agent: one regular file, read here with this user's rights
				if (!Files.isRegularFile(local, LinkOption.NOFOLLOW_LINKS)) {
					throw oneFileOnly(p.name(), "push");
				}
				String inside = isFolder(engine, p) ? child(p.path(), local.getFileName().toString()) : p.path();
				byte[] content = readLocal(local);
				Context.await(engine.writeFile(p.name(), inside, content));
				ctx.out.println(p.name() + ":" + inside + ": 1 file copied");
				return 0;
			}
			int n = Context.await(le.pushFiles(p.name(), local, p.path(), recursive));
			ctx.out.println(target + ": " + n + (n == 1 ? " file" : " files") + " copied");
			return 0;
		}
	}

	@Command(name = "pull", description = "Copy a file (a folder with -r) out of the container; into LOCAL when it is"
			+ " a folder. Modes are kept; as root, owners are the ids inside the container.")
	static final class Pull extends BaseCommand {

		@Option(names = {"-r", "--recursive"}, description = "Copy a folder with what is in it.")
		boolean recursive;

		@Parameters(index = "0", paramLabel = "NAME:/path", description = "The container and the path inside it.")
		String source;

		@Parameters(index = "1", paramLabel = "LOCAL", description = "The file or folder on this host.")
		Path local;

		Pull(Context ctx) {
			super(ctx);
		}

		@Override
		public Integer call() throws BerthException {
			Place p = place(this, "NAME:/path", source);
			ContainerEngine engine = ctx.engineFor(List.of(p.name()));
			if (!(engine instanceof LocalEngine le)) {
				if (recursive) {
					// through the agent: its tar archive unpacked here by tar, with this user's rights
					pullTree(engine, p, local);
					ctx.out.println(source + ": copied to " + local);
					return 0;
				}
				byte[] content = Context.await(engine.readFile(p.name(), p.path(), AGENT_MAX));
				String base = p.path().replaceAll("/+$", "");
				Path target = Files.isDirectory(local) ? local.resolve(base.substring(base.lastIndexOf('/') + 1))
						: local;
				try {
					Files.write(target, content);
				} catch (IOException e) {
					throw new BerthException("file pull", p.name(), "cannot write " + target + ": "
							+ Errors.describe(e), e);
				}
				ctx.out.println(source + ": 1 file copied");
				return 0;
			}
			int n = Context.await(le.pullFiles(p.name(), p.path(), local, recursive));
			ctx.out.println(source + ": " + n + (n == 1 ? " file" : " files") + " copied");
			return 0;
		}
	}

	/** The most one file through the agent may hold (its …/files/content limit). */
	static final int AGENT_MAX = 8 << 20;

	private static BerthException oneFileOnly(String name, String verb) {
		return new BerthException("file " + verb, name, "through the agent, berth file " + verb + " without -r copies"
				+ " one regular file (up to 8 MiB); give -r for a folder");
	}

	/** Through the agent: {@code tar -c} of {@code local} (this user's rights) into the container. */
	static int pushTree(ContainerEngine engine, Place p, Path local) throws BerthException {
		Path abs = local.toAbsolutePath().normalize();
		Path parent = abs.getParent() == null ? Path.of("/") : abs.getParent();
		String base = abs.getFileName() == null ? "." : abs.getFileName().toString();
		Process tar;
		try {
			tar = new ProcessBuilder("tar", "-C", parent.toString(), "-cf", "-", "--", base)
					.redirectError(ProcessBuilder.Redirect.INHERIT).start();
		} catch (IOException e) {
			throw new BerthException("file push", p.name(), "cannot run tar: " + Errors.describe(e), e);
		}
		try (var archive = tar.getInputStream()) {
			int n = Context.await(engine.pushArchive(p.name(), archive, p.path()));
			if (tar.waitFor() != 0) {
				throw new BerthException("file push", p.name(), "tar could not read all of " + local + " (exit "
						+ tar.exitValue() + "); what it read was copied");
			}
			return n;
		} catch (IOException e) {
			throw new BerthException("file push", p.name(), "cannot read " + local + ": " + Errors.describe(e), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("file push", p.name(), "interrupted");
		} finally {
			tar.destroy();
		}
	}

	/**
	 * Through the agent: the tree's archive unpacked by {@code tar -x} with this user's rights: into {@code local}
	 * when it is a folder, else as {@code local} (unpacked beside it, then renamed).
	 */
	static void pullTree(ContainerEngine engine, Place p, Path local) throws BerthException {
		Path abs = local.toAbsolutePath().normalize();
		boolean into = Files.isDirectory(abs);
		Path dir;
		try {
			dir = into ? abs : Files.createTempDirectory(abs.getParent(), ".berth-pull-");
		} catch (IOException e) {
			throw new BerthException("file pull", p.name(), "cannot write in " + abs.getParent() + ": "
					+ Errors.describe(e), e);
		}
		try {
			Process tar = new ProcessBuilder("tar", "-C", dir.toString(), "-xf", "-")
					.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
			// tar's words only when it is tar that failed: when the agent refuses, its sentence is the one to say
			var tarSays = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				try (var err = tar.getErrorStream()) {
					return new String(err.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
				} catch (IOException e) {
					return "";
				}
			});
			try (var in = tar.getOutputStream()) {
				Context.await(engine.pullArchive(p.name(), p.path(), in));
			}
			if (tar.waitFor() != 0) {
				String words = tarSays.join();
				throw new BerthException("file pull", p.name(), "tar could not write all of it into " + dir + " (exit "
						+ tar.exitValue() + (words.isEmpty() ? "" : ": " + words.replace('\n', ' ')) + ")");
			}
			if (!into) {
				try (var top = Files.list(dir)) {
					Path only = top.findFirst().orElseThrow(() -> new BerthException("file pull", p.name(),
							p.name() + ":" + p.path() + " gave nothing to copy"));
					Files.move(only, abs);
				}
			}
		} catch (IOException e) {
			throw new BerthException("file pull", p.name(), "cannot write " + abs + ": " + Errors.describe(e), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BerthException("file pull", p.name(), "interrupted");
		} finally {
			if (!into) {
				try (var left = Files.walk(dir)) {
					for (Path q : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
						Files.deleteIfExists(q);
					}
				} catch (IOException e) {
					// a leftover hidden folder; the sentence above says what failed
				}
			}
		}
	}

	/** Whether NAME:/path is a folder inside the container (listing it works). */
	private static boolean isFolder(ContainerEngine engine, Place p) {
		try {
			Context.await(engine.listFiles(p.name(), p.path()));
			return true;
		} catch (BerthException | RuntimeException e) {
			return false;
		}
	}

	private static String child(String dir, String name) {
		return dir.endsWith("/") ? dir + name : dir + "/" + name;
	}

	private static byte[] readLocal(Path local) throws BerthException {
		try {
			if (Files.size(local) > AGENT_MAX) {
				throw new BerthException("file push", local.toString(), local + " is larger than 8 MiB, the most the"
						+ " agent copies in one piece; run berth file push with sudo");
			}
			return Files.readAllBytes(local);
		} catch (IOException e) {
			throw new BerthException("file push", local.toString(), "cannot read " + local + ": "
					+ Errors.describe(e), e);
		}
	}
}
