package dev.stasis.capture.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.TestData;
import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Socket roles, inferred addresses and containers on captures made for it
 * (capture/src/test/resources/fidelity, see its PROVENANCE.md): recordings of a TCP server
 * accepting clients, of UDP on unconnected sockets and of sockets opened before the recording
 * attached, and ScapWriter captures of what a recording cannot produce (a listening socket a
 * datagram turns into a connection, IPv6, every container cgroup layout libsinsp knows, a
 * container with an IP), and recordings made to play the judge on workloads never seen before
 * (IPv6 listening sockets before and after the attach, fd calls, a shell's vfork children). For
 * each filter, stasis selects event by event what {@code sysdig -r} (0.29.3) selects, read live.
 */
class SysdigFidelityTest {
    static final List<String> FILTERS = List.of(
            "fd.is_server=true", "fd.is_server=false", "fd.net=127.0.0.0/8", "fd.net=0.0.0.0/0",
            "fd.net=192.0.2.0/24", "fd.net=::1", "fd.net!=127.0.0.0/8", "fd.snet=127.0.0.0/8", "fd.cnet=127.0.0.0/8",
            "fd.snet=::1", "fd.lnet=127.0.0.0/8", "fd.rnet=172.16.0.0/12", "container.id!=host", "container.id=host",
            "fd.type=ipv4", "fd.type=ipv6", "fd.l4proto=tcp", "fd.l4proto=udp", "fd.connected=true",
            "fd.sip=127.0.0.1", "fd.cip=127.0.0.1", "fd.lip=127.0.0.1", "fd.rip=127.0.0.1", "fd.sport=8080", "fd.sport=7000",
            "fd.name contains 233.20.3.0", "container.name=host",
            // the captures recorded to play the judge: listening IPv6 sockets taking a tuple or connecting,
            // a vfork child seen before its parent's exit, evt.buflen of close/dup, proc.exeline without args
            "fd.sip=::1", "fd.lip=::1", "fd.rip=::", "fd.name contains \"->:::0\"", "fd.sport>0 and fd.is_server=true",
            "proc.name=sleep", "proc.name=sh", "proc.exeline endswith ' '", "evt.type in (close, dup) and evt.buflen>=0",
            // ports as text (sysdig -r names no services): "" on listening and unix sockets
            "fd.sproto=8080", "fd.sproto exists", "fd.cproto exists", "fd.lproto exists", "fd.rproto=8080",
            "fd.cproto exists and fd.type=unix", "fd.uid exists", "fd.containerdirectory exists",
            "evt.reltime.s>=1", "syscall.type exists", "thread.cgroup.cpu exists", "thread.cgroups contains blkio",
            "proc.loginshellid exists", "proc.fdopencount>5",
            // *at calls: AT_FDCWD, absolute paths, a dirfd the table lacks ("<UNKNOWN>/c.txt")
            "evt.abspath exists", "evt.abspath contains UNKNOWN", "evt.abspath.src endswith b.txt",
            "evt.abspath.dst endswith c.txt");

    static Path dir() {
        return CaptureFixtures.root().resolve("capture/src/test/resources/fidelity");
    }

    static List<Path> captures() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> p.toString().endsWith(".scap")).sorted().toList();
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Path c : captures()) {
            for (String f : FILTERS) {
                out.add(Arguments.of(c.getFileName().toString(), f));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void selectsTheEventsSysdigSelects(String capture, String filter) throws Exception {
        GroundTruth.require(CaptureFixtures.sysdigInstalled(), "sysdig is not installed");
        Path file = dir().resolve(capture);
        List<Long> sysdig = CaptureFixtures.sysdig(file, "-p", "%evt.num", filter).stream().map(Long::valueOf).toList();
        assertThat(TestData.select(file, Filter.compile(filter))).as("%s on %s", filter, capture)
                .containsExactlyElementsOf(sysdig);
    }

    /** The cases the captures were made for are in them: a filter that selects nothing proves nothing. */
    @Test
    void theCapturesHoldTheCasesTheyWereMadeFor() throws IOException {
        assertThat(captures()).extracting(p -> p.getFileName().toString()).containsExactly(
                "recorded_fd_calls.scap", "recorded_ipv6_listening.scap", "recorded_net_mix.scap",
                "recorded_shell_vfork.scap", "recorded_sockets_before_attach.scap", "recorded_tcp_accepts.scap",
                "recorded_udp_unconnected.scap", "synthetic_containers.scap", "synthetic_sockets.scap");
        // a datagram on a listening IPv6 socket (from the fd list, or bound to a port) names it by the
        // tuple and leaves it a server; one that connects is a connection
        assertThat(select("recorded_ipv6_listening.scap", "fd.name contains \"->:::0\" and fd.is_server=true"))
                .containsExactly(12L, 32L, 37L, 38L, 63L, 64L);
        // the vfork child 25279 has exec'd sleep before its parent's vfork exit (event 6): it stays sleep
        assertThat(select("recorded_shell_vfork.scap", "thread.tid=25279 and evt.num>6"))
                .hasSize(41).isEqualTo(select("recorded_shell_vfork.scap", "thread.tid=25279 and evt.num>6 and proc.name=sleep"));
        // evt.buflen of the other fd calls: dup's result
        assertThat(select("recorded_fd_calls.scap", "evt.type=dup and evt.buflen>=40")).containsExactly(18L, 20L);
        assertThat(select("recorded_shell_vfork.scap", "proc.exeline endswith ' '")).isNotEmpty();
        // accepted sockets are the server end; a datagram on a bound UDP socket reads the server's
        // port and protocol as the peer address (233.20.3.0 = 5353, udp), which is not local
        assertThat(select("synthetic_sockets.scap", "evt.type=accept and evt.dir=< and fd.is_server=true"))
                .containsExactly(8L, 14L, 50L);
        assertThat(select("synthetic_sockets.scap", "fd.name contains 233.20.3.0 and fd.is_server=false"))
                .containsExactly(24L, 25L);
        // an unconnected socket is 0.0.0.0: in fd.net=0.0.0.0/0, and the server end in a docker container
        assertThat(select("synthetic_containers.scap", "evt.type=socket and evt.dir=< and fd.is_server=true"))
                .isNotEmpty();
        // threads known only from the process list: one container per layout, host without cgroups
        assertThat(containers("synthetic_containers.scap")).containsExactly(
                "host", "3ad7b26ded6d", "host", "91b6a2a3ba6c", "0b0c0d0e0f10", "c0ffee00c0ff", "abcdefabcdef", "web01",
                "host", "5e5e5e5e5e5e");
    }

    /** The ScapWriter captures are what {@link FidelityCaptures} writes (their bytes, regenerated). */
    @Test
    void theSyntheticCapturesAreReproducible(@TempDir Path tmp) throws IOException {
        FidelityCaptures.main(new String[] {tmp.toString()});
        for (String name : List.of("synthetic_sockets.scap", "synthetic_containers.scap")) {
            assertThat(tmp.resolve(name)).as(name).hasSameBinaryContentAs(dir().resolve(name));
        }
    }

    private static List<Long> select(String capture, String filter) throws IOException {
        return TestData.select(dir().resolve(capture), Filter.compile(filter));
    }

    /** The container id of each thread's first event, in the order of the threads' first events. */
    private static List<String> containers(String capture) throws IOException {
        List<String> out = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(dir().resolve(capture))) {
            r.forEachVisible(e -> {
                if (e.thread() != null && !seen.contains(e.tid())) {
                    seen.add(e.tid());
                    out.add(e.thread().inContainer() ? e.thread().containerId() : "host");
                }
            });
        }
        return out;
    }
}
