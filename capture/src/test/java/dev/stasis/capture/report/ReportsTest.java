package dev.stasis.capture.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.state.CaptureReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * follow / conversations / timeline / info against sysdig's reading (golden/follow,
 * golden/default) of the shared captures.
 */
class ReportsTest {
    private static final String TUPLE = "2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80";

    private static Path capture(String name) {
        return CaptureFixtures.root().resolve("testdata/captures/" + name + ".scap");
    }

    @Test
    void followReassemblesTheHttpExchangeAsSysdigSeesIt() throws IOException {
        // sysdig: 1312 sendto 78, 1343 recvfrom 6040, 1374 recvfrom 5457, 1412 recvfrom 5
        List<String> golden = CaptureFixtures.golden("follow", "libs_curl_google");
        StreamFollower f = StreamFollower.byTuple(TUPLE);
        try (CaptureReader r = CaptureReader.open(capture("libs_curl_google"))) {
            EventSource.forEach(r, null, f::add);
        }
        List<StreamFollower.Chunk> chunks = f.chunks();
        List<String> expected = golden.stream()
                .filter(l -> l.contains(" sendto ") || l.contains(" recvfrom "))
                .map(l -> l.split(" ")[0] + " " + (l.contains("recvfrom") ? "in" : "out") + " " + l.split(" ")[3])
                .toList();
        assertThat(chunks).extracting(c -> c.num() + " " + (c.in() ? "in" : "out") + " " + c.size())
                .containsExactlyElementsOf(expected);
        assertThat(new String(chunks.get(0).data(), StandardCharsets.US_ASCII))
                .startsWith("GET / HTTP/1.1\r\nHost: www.google.com\r\n");
        assertThat(new String(chunks.get(1).data(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK");
        // the same stream selected by pid:fd, and by the reversed tuple
        StreamFollower byFd = StreamFollower.byFd(17497, 4);
        StreamFollower reversed = StreamFollower.byTuple(TUPLE.split("->")[1] + "->" + TUPLE.split("->")[0]);
        try (CaptureReader r = CaptureReader.open(capture("libs_curl_google"))) {
            EventSource.forEach(r, null, e -> {
                byFd.add(e);
                reversed.add(e);
            });
        }
        assertThat(reversed.chunks()).hasSameSizeAs(chunks);
        assertThat(byFd.chunks()).extracting(StreamFollower.Chunk::num).containsAll(chunks.stream().map(StreamFollower.Chunk::num).toList());
    }

    @Test
    void conversationsCountBytesEachWay() throws IOException {
        Conversations c = new Conversations();
        try (CaptureReader r = CaptureReader.open(capture("libs_curl_google"))) {
            EventSource.forEach(r, null, c::add);
        }
        Conversations.Conversation http = c.list().stream()
                .filter(x -> x.server().endsWith(":80")).findFirst().orElseThrow();
        assertThat(http.proto()).isEqualTo("tcp");
        assertThat(http.client()).isEqualTo(TUPLE.split("->")[0]);
        assertThat(http.server()).isEqualTo("2607:f8b0:4004:802::2004:80");
        assertThat(http.process()).isEqualTo("curl");
        assertThat(http.bytesClientToServer()).isEqualTo(78);
        assertThat(http.bytesServerToClient()).isEqualTo(6040 + 5457 + 5);
        assertThat(c.list()).anyMatch(x -> x.proto().equals("udp") && x.server().equals("2001:4860:4860::8888:53"));
    }

    @Test
    void timelineShowsTheContainerShellRunningLs() throws IOException {
        // sysdig: 1884 bash (32052) > execve filename=/bin/ls; bash is in container 697956520d89
        Timeline t = new Timeline();
        List<Timeline.Process> roots;
        try (CaptureReader r = CaptureReader.open(capture("falco_run_as_user_0_container"))) {
            EventSource.forEach(r, null, t::add);
            roots = t.roots(r.state());
        }
        Timeline.Process ls = find(roots, 32052);
        assertThat(ls).isNotNull();
        assertThat(ls.comm()).isEqualTo("ls");
        assertThat(ls.containerId()).isEqualTo("697956520d89");
        assertThat(ls.items()).anyMatch(i -> i.kind().equals("exec") && i.detail().startsWith("/bin/ls"));
        assertThat(ls.items()).anyMatch(i -> i.kind().equals("exit"));
        Timeline.Process bash = find(roots, 25754);
        assertThat(bash.children()).extracting(Timeline.Process::pid).contains(32052L);
    }

    private static Timeline.Process find(List<Timeline.Process> l, long pid) {
        for (Timeline.Process p : l) {
            if (p.pid() == pid) {
                return p;
            }
            Timeline.Process c = find(p.children(), pid);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    @Test
    void infoCountsAsSysdigNumbers() throws IOException {
        CaptureSummary s;
        try (CaptureReader r = CaptureReader.open(capture("falco_run_as_user_0_container"))) {
            s = CaptureSummary.of(r);
        }
        List<String> golden = CaptureFixtures.golden("default", "falco_run_as_user_0_container");
        assertThat(s.visibleEvents()).isEqualTo(golden.size());
        assertThat(s.events()).isGreaterThanOrEqualTo(Long.parseLong(golden.get(golden.size() - 1).split(" ")[0]));
        assertThat(s.hostname()).isEqualTo("ubuntu");
        assertThat(s.containers()).anyMatch(c -> c.startsWith("697956520d89"));
    }
}
