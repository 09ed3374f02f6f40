package dev.stasis.cli.capture;

import static dev.stasis.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.cli.CliTesting;
import dev.stasis.cli.CliTesting.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code capture follow --fd} follows one lifetime of a reused fd number. The lifetimes are cut
 * from sysdig's own events (golden/follow-libs_curl_google-17497-4.txt: the reads and writes that
 * moved data and the closes of fd 4 of curl[17497]), not from stasis's state engine.
 */
class FollowLifetimesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAPTURE = CliTesting.root().resolve("testdata/captures/libs_curl_google.scap").toString();

    /** One lifetime as sysdig shows it: the numbers of its data events and the fd's name. */
    record Lifetime(List<Long> events, String name) {}

    static List<Lifetime> sysdigLifetimes() throws IOException {
        List<Lifetime> out = new ArrayList<>();
        List<Long> current = new ArrayList<>();
        String name = null;
        try (InputStream in = FollowLifetimesTest.class.getResourceAsStream("/golden/follow-libs_curl_google-17497-4.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split(" ", 3);
                if (f[1].equals("close")) {
                    if (!current.isEmpty()) out.add(new Lifetime(current, name));
                    current = new ArrayList<>();
                    name = null;
                } else {
                    current.add(Long.parseLong(f[0]));
                    if (name == null) name = f.length > 2 ? f[2] : "";
                }
            }
        }
        if (!current.isEmpty()) out.add(new Lifetime(current, name));
        return out;
    }

    private static List<Long> nums(JsonNode chunks) {
        List<Long> n = new ArrayList<>();
        for (JsonNode c : chunks) n.add(c.get("evt.num").asLong());
        return n;
    }

    @Test
    void followsTheFirstLifetimeByDefaultAndSaysHowManyThereWere() throws Exception {
        List<Lifetime> truth = sysdigLifetimes();
        assertThat(truth).hasSizeGreaterThan(2);

        Run text = run("capture", "follow", CAPTURE, "--fd", "17497:4");
        assertThat(text.exit()).as(text.err()).isZero();
        String header = text.out().lines().findFirst().orElseThrow();
        assertThat(header).startsWith("Follow <f>" + truth.getFirst().name() + " curl[17497] fd 4")
                .contains("lifetime 1 of " + truth.size());
        assertThat(text.out()).doesNotContain(truth.getLast().name());

        JsonNode json = JSON.readTree(run("capture", "follow", CAPTURE, "--fd", "17497:4", "--format", "json").out());
        assertThat(json.get("lifetimes").asInt()).isEqualTo(truth.size());
        assertThat(nums(json.get("chunks"))).isEqualTo(truth.getFirst().events());
        assertThat(json.get("stream").asText()).contains(truth.getFirst().name());
    }

    @Test
    void lifetimeNPicksOneAndAllKeepsEveryOne() throws Exception {
        List<Lifetime> truth = sysdigLifetimes();
        int last = truth.size();
        JsonNode n = JSON.readTree(run("capture", "follow", CAPTURE, "--fd", "17497:4", "--lifetime", "" + last, "--format", "json").out());
        assertThat(nums(n.get("chunks"))).isEqualTo(truth.getLast().events());
        assertThat(n.get("stream").asText()).contains(truth.getLast().name()); // the HTTP connection's tuple

        JsonNode all = JSON.readTree(run("capture", "follow", CAPTURE, "--fd", "17497:4", "--lifetime", "all", "--format", "json").out());
        List<Long> every = new ArrayList<>();
        truth.forEach(l -> every.addAll(l.events()));
        assertThat(nums(all.get("chunks"))).isEqualTo(every);
        assertThat(all.get("streams")).hasSize(last);

        Run allText = run("capture", "follow", CAPTURE, "--fd", "17497:4", "--lifetime", "all");
        assertThat(allText.out().lines().filter(l -> l.startsWith("Follow ")).count()).isEqualTo(last);
    }

    @Test
    void aLifetimeThatDoesNotExistIsOneLine() {
        List<Lifetime> truth;
        try {
            truth = sysdigLifetimes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Run r = run("capture", "follow", CAPTURE, "--fd", "17497:4", "--lifetime", "" + (truth.size() + 1));
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).startsWith("stasis: fd 17497:4 had " + truth.size() + " lifetime(s)").doesNotContain("\n").doesNotContain("\tat ");
        Run zero = run("capture", "follow", CAPTURE, "--fd", "17497:4", "--lifetime", "0");
        assertThat(zero.exit()).isNotZero();
        assertThat(zero.err()).startsWith("stasis: --lifetime wants");
        Run tuple = run("capture", "follow", CAPTURE, "--tuple", "1.2.3.4:1->5.6.7.8:2", "--lifetime", "2");
        assertThat(tuple.err()).startsWith("stasis: --lifetime goes with --fd");
    }
}
