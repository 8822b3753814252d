package org.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SshUrlTest {

	@Test
	void userHostAndPortAreReadAndWrittenBack() {
		assertEquals(new SshUrl("root", "host2", 2222), SshUrl.parse("ssh://root@host2:2222"));
		assertEquals(new SshUrl(null, "host2.example.org", 0), SshUrl.parse(" ssh://host2.example.org/ "));
		assertEquals(new SshUrl("admin", "::1", 22), SshUrl.parse("ssh://admin@[::1]:22"));
		assertEquals("ssh://admin@[::1]:22", SshUrl.parse("ssh://admin@[::1]:22").toString());
		assertEquals("admin@[::1]", SshUrl.parse("ssh://admin@[::1]:22").destination());
		assertEquals("host2", SshUrl.parse("ssh://host2").destination());
		assertEquals("ssh://root@127.0.0.1:2022", SshUrl.parse("ssh://root@127.0.0.1:2022").toString());
	}

	@Test
	void whatIsNoTargetIsSaidInASentence() {
		for (String bad : new String[]{"", "host2", "http://host2", "ssh://", "ssh://-oProxyCommand=x",
				"ssh://root@host2:22/path", "ssh://ro ot@host2", "ssh://host2;reboot", "ssh://@host2"}) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SshUrl.parse(bad), bad);
			assertEquals("\"" + bad.trim() + "\" is not a target: write ssh://[user@]host[:port], e.g. ssh://root@host2"
					+ " or ssh://host2:2222", e.getMessage());
		}
		assertEquals("port 70000 of \"ssh://host2:70000\" is not between 1 and 65535",
				assertThrows(IllegalArgumentException.class, () -> SshUrl.parse("ssh://host2:70000")).getMessage());
		assertEquals("\"\" is not a target: write ssh://[user@]host[:port], e.g. ssh://root@host2 or"
				+ " ssh://host2:2222",
				assertThrows(IllegalArgumentException.class, () -> SshUrl.parse(null))
						.getMessage());
	}
}
