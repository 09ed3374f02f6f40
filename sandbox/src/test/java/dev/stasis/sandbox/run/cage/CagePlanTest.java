package dev.stasis.sandbox.run.cage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.sandbox.Fixtures;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The cage the lab's IRC bot needs, against the lab C2's own log of the connection it accepted. */
class CagePlanTest {
    @Test
    void theBotKeepsItsAddressAndTheSinkholeOwnsItsC2() throws Exception {
        // c2server.py logged "conn ('10.88.0.25', 56778)" when the bot connected to 10.88.0.1:6667
        Matcher conn = Pattern.compile("conn \\('([\\d.]+)', (\\d+)\\)").matcher(Files.readString(Fixtures.checkpoint("irc-bot.tar.zst.c2.log")));
        assertThat(conn.find()).isTrue();
        CagePlan plan;
        try (Checkpoint cp = Checkpoint.open(Fixtures.checkpoint("irc-bot.tar.zst"))) {
            plan = CagePlan.of(cp.container(), cp.processes(false));
        }
        assertThat(plan.address()).isEqualTo(conn.group(1));
        assertThat(plan.prefix()).isEqualTo(16);
        assertThat(plan.gateway()).isEqualTo("10.88.0.1");
        assertThat(plan.mac()).isEqualTo("ba:9d:4d:6c:6c:30");
        assertThat(plan.peers()).containsExactly("10.88.0.1");
        assertThat(plan.connections()).singleElement().satisfies(c -> {
            assertThat(c.localIp()).isEqualTo(conn.group(1));
            assertThat(c.localPort()).isEqualTo(Integer.parseInt(conn.group(2)));
            assertThat(c.remoteIp()).isEqualTo("10.88.0.1");
            assertThat(c.remotePort()).isEqualTo(6667);
            assertThat(c.inode()).isEqualTo(0x1c662);
        });
    }

    @Test
    void aContainerWithoutConnectionsNeedsNoTakeover() {
        try (Checkpoint cp = Checkpoint.open(Fixtures.checkpoint("benign-web.tar.zst"))) {
            CagePlan plan = CagePlan.of(cp.container(), cp.processes(false));
            assertThat(plan.hasEstablishedTcp()).isFalse();
            assertThat(plan.peers()).containsExactly(plan.gateway());
        }
    }
}
