package dev.stasis.analysis.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.stasis.analysis.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntelLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void plainListWithCommentsDefangingAndCidr() {
        List<Indicator> l = IntelLoader.load(TestData.resource("intel/c2-hosts.txt"));
        assertThat(l).extracting(Indicator::type, Indicator::value).containsExactly(
                tuple(IndicatorType.IPV4, "10.88.0.1"),
                tuple(IndicatorType.DOMAIN, "evil-pool.example"),
                tuple(IndicatorType.CIDR, "203.0.113.0/24"),
                tuple(IndicatorType.URL, "http://dropper.example/stage2.sh"));
        assertThat(l.get(0).label()).isEqualTo("lab C2 server");
        assertThat(l.get(1).label()).isEqualTo("defanged domain");
    }

    @Test
    void csvWithHeaderAndQuotedFields() {
        List<Indicator> l = IntelLoader.load(TestData.resource("intel/indicators.csv"));
        assertThat(l).hasSize(3);
        assertThat(l.get(0).value()).isEqualTo("10.88.0.1");
        assertThat(l.get(0).label()).isEqualTo("IRC C2 server (lab)");
        assertThat(l.get(1).type()).isEqualTo(IndicatorType.DOMAIN);
        assertThat(l.get(1).label()).isEqualTo("Monero pool, \"minexmr\"");
    }

    @Test
    void csvWithoutHeaderUsesFirstColumn() throws Exception {
        Path f = tmp.resolve("x.csv");
        Files.writeString(f, "1.2.3.4,bad host\nexample.org,phishing\n");
        assertThat(IntelLoader.load(f)).extracting(Indicator::value).containsExactly("1.2.3.4", "example.org");
    }

    @Test
    void stixBundleIndicatorsOnlyStixPatterns() {
        List<Indicator> l = IntelLoader.load(TestData.resource("intel/bundle.stix.json"));
        assertThat(l).extracting(Indicator::type, Indicator::value).containsExactlyInAnyOrder(
                tuple(IndicatorType.IPV4, "10.88.0.1"),
                tuple(IndicatorType.DOMAIN, "minexmr.example"),
                tuple(IndicatorType.URL, "http://bad.example/x"),
                tuple(IndicatorType.CIDR, "192.0.2.0/24"));
        assertThat(l).filteredOn(i -> i.value().equals("10.88.0.1")).first()
                .satisfies(i -> {
                    assertThat(i.label()).isEqualTo("Lab IRC C2");
                    assertThat(i.source()).contains("indicator--8e2e2d2b");
                });
    }

    @Test
    void matchingAddressesCidrsDomainsAndUrls() {
        ThreatIntel ti = ThreatIntel.load(List.of(TestData.resource("intel/bundle.stix.json"), TestData.resource("intel/c2-hosts.txt")));
        assertThat(ti.matchAddress("10.88.0.1")).isPresent();
        assertThat(ti.matchAddress("::ffff:10.88.0.1")).isPresent();
        assertThat(ti.matchAddress("192.0.2.200")).get().extracting(Indicator::label).isEqualTo("Bad network");
        assertThat(ti.matchAddress("192.0.3.1")).isEmpty();
        assertThat(ti.matchAddress("203.0.113.9")).isPresent();
        assertThat(ti.matchDomain("pool.minexmr.example")).get().extracting(Indicator::value).isEqualTo("minexmr.example");
        assertThat(ti.matchDomain("example")).isEmpty();
        assertThat(ti.matchUrl("stratum+tcp://pool.minexmr.example:4444")).isPresent();
        assertThat(ti.matchUrl("http://10.88.0.1:8080/x")).isPresent();
        assertThat(ti.matchUrl("http://good.example/")).isEmpty();
    }

    @Test
    void badInputIsAOneLineErrorNamingTheLine() throws Exception {
        Path f = tmp.resolve("bad.txt");
        Files.writeString(f, "10.0.0.1\nnot an indicator!\n");
        assertThatThrownBy(() -> IntelLoader.load(f)).isInstanceOf(IntelFormatException.class)
                .hasMessageContaining("line 2").hasMessageNotContaining("\n");
        Path j = tmp.resolve("x.json");
        Files.writeString(j, "{\"type\": \"report\"}");
        assertThatThrownBy(() -> IntelLoader.load(j)).isInstanceOf(IntelFormatException.class).hasMessageContaining("STIX 2.1 bundle");
        Files.writeString(j, "{\"type\": ");
        assertThatThrownBy(() -> IntelLoader.load(j)).isInstanceOf(IntelFormatException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> IntelLoader.load(tmp.resolve("missing"))).isInstanceOf(IntelFormatException.class).hasMessageContaining("not found");
    }
}
