package dev.stasis.capture.falco;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.capture.filter.Filter;
import dev.stasis.capture.filter.TestData;
import dev.stasis.testsupport.GroundTruth;
import dev.stasis.vocabulary.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * testdata/captures/stasis_shadow_logwipe.scap, recorded by {@code stasis capture record} from a podman
 * container in which a shell reads /etc/shadow with cat, writes below /etc and truncates
 * /var/log/dpkg.log (see testdata/captures/PROVENANCE.md): Falco's default rules fire on it, on exactly
 * the events sysdig 0.29.3 selects with each rule's condition spelled as a sysdig filter
 * (golden/rules/stasis_shadow_logwipe.txt, written by golden/regen.sh from sysdig's output).
 */
class DefaultRulesOnRecordedCaptureTest {
    private static final String NAME = "stasis_shadow_logwipe";
    private static final Path CAPTURE = CaptureFixtures.root().resolve("testdata/captures/" + NAME + ".scap");
    private static final Path GOLDEN = CaptureFixtures.root().resolve("capture/src/test/resources/golden/rules/" + NAME + ".txt");

    /** One line of the golden file: a rule ("-" for a plain filter), its condition as sysdig reads it, sysdig's events. */
    record Selection(String rule, String filter, List<Long> events) {}

    static List<Selection> golden() throws IOException {
        List<Selection> out = new ArrayList<>();
        for (String line : Files.readAllLines(GOLDEN)) {
            String[] f = line.split("\t", -1);
            List<Long> nums = f[2].isBlank() ? List.of() : Arrays.stream(f[2].trim().split(" ")).map(Long::valueOf).toList();
            out.add(new Selection(f[0], f[1], nums));
        }
        return out;
    }

    @Test
    void falcosDefaultRulesFireWhereSysdigSelectsTheirConditions() throws IOException {
        RuleSet set = KnownEvents.loader().add(CaptureFixtures.root().resolve("capture/src/test/resources/falco/falco_rules.yaml")).compile();
        RuleEngine engine = new RuleEngine(set, Priority.DEBUG, false, null, ZoneOffset.UTC);
        List<Alert> alerts = new ArrayList<>();
        TestData.forEachEvent(CAPTURE, e -> alerts.addAll(engine.evaluate(e)));

        Map<String, List<Long>> fired = new LinkedHashMap<>();
        for (Alert a : alerts) fired.computeIfAbsent(a.rule(), k -> new ArrayList<>()).add(a.eventNum());
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        for (Selection s : golden()) if (!s.rule().equals("-")) expected.put(s.rule(), s.events());

        assertThat(expected).containsOnlyKeys("Read sensitive file untrusted", "Clear Log Activities")
                .allSatisfy((rule, events) -> assertThat(events).isNotEmpty());
        assertThat(fired).isEqualTo(expected);
        assertThat(alerts).extracting(Alert::output).anyMatch(o -> o.contains("file=/etc/shadow") && o.contains("process=cat"))
                .anyMatch(o -> o.contains("file=/var/log/dpkg.log") && o.contains("process=sh"));
    }

    @Test
    void stasisFiltersSelectWhatSysdigSelects() throws IOException {
        for (Selection s : golden()) {
            assertThat(TestData.select(CAPTURE, Filter.compile(s.filter()))).as(s.filter()).isEqualTo(s.events());
        }
    }

    /** The golden file is still what sysdig says (it is what the two tests above trust). */
    @Test
    void theGoldenSelectionsAreSysdigsOwn() throws Exception {
        GroundTruth.require(CaptureFixtures.sysdigInstalled(), "sysdig is not installed");
        for (Selection s : golden()) {
            List<Long> now = CaptureFixtures.sysdig(CAPTURE, "-p", "%evt.num", s.filter()).stream().map(Long::valueOf).toList();
            assertThat(now).as(s.filter()).isEqualTo(s.events());
        }
    }
}
