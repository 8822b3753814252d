package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class DiffTest {

	private static TreeDiff.Entry file(String path, long size, int mode) {
		return new TreeDiff.Entry(path, TreeDiff.Type.FILE, size, mode, 0, 0, 0, null);
	}

	private static Map<String, TreeDiff.Entry> tree(TreeDiff.Entry... entries) {
		Map<String, TreeDiff.Entry> m = new TreeMap<>();
		for (TreeDiff.Entry e : entries) {
			m.put(e.path(), e);
		}
		return m;
	}

	@Test
	void filesAddedRemovedAndChangedSortedByPathWithWhatChanged() throws IOException {
		TreeDiff.Entry dir = new TreeDiff.Entry("/", TreeDiff.Type.DIRECTORY, 0, 0755, 0, 0, 0, null);
		Map<String, TreeDiff.Entry> a = tree(dir, file("/same", 3, 0644), file("/gone", 1, 0644),
				file("/edited", 4, 0644), file("/chmod", 1, 0644),
				new TreeDiff.Entry("/owned", TreeDiff.Type.FILE, 1, 0644, 100000, 100000, 0, null),
				new TreeDiff.Entry("/link", TreeDiff.Type.SYMLINK, 4, 0777, 0, 0, 0, "/bin"),
				new TreeDiff.Entry("/null", TreeDiff.Type.CHAR_DEVICE, 0, 0666, 0, 0, (1 << 8) | 3, null),
				file("/became-dir", 1, 0644));
		Map<String, TreeDiff.Entry> b = tree(dir, file("/same", 3, 0644), file("/added", 1, 0644),
				file("/edited", 5, 0644), file("/chmod", 1, 0600),
				new TreeDiff.Entry("/owned", TreeDiff.Type.FILE, 1, 0644, 100001, 100000, 0, null),
				new TreeDiff.Entry("/link", TreeDiff.Type.SYMLINK, 8, 0777, 0, 0, 0, "/usr/bin"),
				new TreeDiff.Entry("/null", TreeDiff.Type.CHAR_DEVICE, 0, 0666, 0, 0, (1 << 8) | 5, null),
				new TreeDiff.Entry("/became-dir", TreeDiff.Type.DIRECTORY, 0, 0755, 0, 0, 0, null));
		List<String> hashed = new ArrayList<>();
		List<TreeDiff.Change> changes = TreeDiff.compare(a, b, (first, path) -> {
			hashed.add((first ? "a" : "b") + path);
			return path.equals("/edited") && !first ? "h2" : "h1";
		});
		assertEquals(List.of("+ /added", "~ /became-dir (type file → directory, mode 0644 → 0755)",
				"~ /chmod (mode 0644 → 0600)", "~ /edited (size 4 → 5, content)", "- /gone",
				"~ /link (target /bin → /usr/bin)", "~ /null (device 1:3 → 1:5)",
				"~ /owned (owner 100000:100000 → 100001:100000)"),
				changes.stream().map(TreeDiff.Change::toString).toList());
		assertEquals(new TreeDiff.Detail("content", "h1", "h2"), changes.get(3).details().get(1));
		assertEquals(List.of("a/chmod", "b/chmod", "a/edited", "b/edited", "a/owned", "b/owned", "a/same", "b/same"),
				hashed, "only regular files on both sides are hashed");
		assertEquals(List.of(), TreeDiff.compare(a, a, (first, path) -> "h"));
		var x1 = new TreeDiff.Entry("/x", TreeDiff.Type.FILE, 1, 0755, 0, 0, 0, null,
				"security.capability=0a1b2c3d4e5f");
		var x2 = new TreeDiff.Entry("/x", TreeDiff.Type.FILE, 1, 0755, 0, 0, 0, null, null);
		assertEquals(List.of("~ /x (xattrs security.capability=0a1b2c3d4e5f → none)"), TreeDiff.compare(tree(x1),
				tree(x2), (first, path) -> "h").stream().map(TreeDiff.Change::toString).toList());
	}

	@Test
	void theBlocksTheEngineGaveTwoContainersAreNoDifferenceButOtherMapsAre() {
		ContainerSpec a = ContainerSpec.builder("c1").userNamespace(1048576, 65536).build();
		ContainerSpec b = ContainerSpec.builder("c2").userNamespace(1114112, 65536).build();
		assertEquals(List.of(), SpecDiff.compare(a, b));
		ContainerSpec chosen = ContainerSpec.builder("c3").uidMap(new IdMap(0, 100000, 1000))
				.gidMap(new IdMap(0, 100000, 1000)).build();
		assertEquals(List.of("uidmap", "gidmap"), SpecDiff.compare(a, chosen).stream().map(SpecDiff.Change::field)
				.toList());
	}

	@Test
	void specDifferencesFieldByFieldWithoutTheName() {
		ContainerSpec a = ContainerSpec.builder("c1").template("busybox").build();
		ContainerSpec b = a.toBuilder().name("c2").limits(Limits.NONE.withMemoryBytes(256 * Sizes.MIB))
				.namespace(NamespaceSpec.host(NamespaceType.NET)).network(NetworkSpec.HOST).build();
		assertEquals(List.of(new SpecDiff.Change("ns.net", "new", "host"), new SpecDiff.Change("memory", "",
				"256 MiB"), new SpecDiff.Change("network", "none", "host")), SpecDiff.compare(a, b));
		assertEquals(List.of(), SpecDiff.compare(a, a.withName("other")));
	}
}
