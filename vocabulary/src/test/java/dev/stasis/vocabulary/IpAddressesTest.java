package dev.stasis.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.testsupport.GroundTruth;
import dev.stasis.testsupport.ProjectFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each convention against the code that defines it, run here: glibc's inet_ntop (through
 * Python's socket.inet_ntop, a thin wrapper) and sysdig's own reading of a capture for
 * {@link IpAddresses#inetNtop}; the Python and ipaddress module crit runs ({@code /usr/bin/crit}'s
 * interpreter) for {@link IpAddresses#pythonIpaddress}.
 */
class IpAddressesTest {
    private static final Path CRIT_PYTHON = Path.of("/usr/bin/python3");

    /** Addresses with every shape of zero runs and IPv4 tails, plus random ones biased towards zero groups. */
    static List<byte[]> addresses() {
        Set<String> hex = new LinkedHashSet<>(List.of(
                "00000000000000000000000000000000", "00000000000000000000000000000001", "00000000000000000000ffff01020304",
                "00000000000000000000000001020304", "00000000000000000000ffff00000000", "00000000000000000000000000010002",
                "20010db8000000000000000000000001", "20010db8000000010000000000000001", "20010db8000000000001000000000001",
                "fe800000000000000000000000000000", "00010000000100000001000000010000", "0000000100000000000000000000ffff",
                "000000000000ffff0000000001020304", "ffff0000000000000000000000000000", "00000000000000000001000000000000"));
        Random r = new Random(13);
        while (hex.size() < 2000) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                int kind = r.nextInt(4);
                s.append(kind < 2 ? "0000" : kind == 2 ? "ffff" : String.format("%04x", r.nextInt(0x10000)));
            }
            hex.add(s.toString());
        }
        List<byte[]> out = new ArrayList<>();
        for (String h : hex) out.add(HexFormat.of().parseHex(h));
        return out;
    }

    @Test
    void inetNtopIsGlibcs() throws Exception {
        GroundTruth.require(Files.isExecutable(CRIT_PYTHON), "/usr/bin/python3 (glibc's inet_ntop through socket.inet_ntop) is missing");
        List<byte[]> in = addresses();
        List<String> glibc = python("import sys, socket\nfor l in sys.stdin:\n"
                + "    print(socket.inet_ntop(socket.AF_INET6, bytes.fromhex(l.strip())))\n", in);
        for (int i = 0; i < in.size(); i++) assertThat(IpAddresses.inetNtop(in.get(i))).as(HexFormat.of().formatHex(in.get(i))).isEqualTo(glibc.get(i));
    }

    @Test
    void pythonIpaddressIsCritsPython() throws Exception {
        GroundTruth.require(Files.isExecutable(Path.of("/usr/bin/crit")) && Files.isExecutable(CRIT_PYTHON), "crit (CRIU's, with /usr/bin/python3) is not installed");
        List<byte[]> in = addresses();
        // what pycriu's pb2dict does for an address field with --pretty
        List<String> crit = python("import sys\nfrom ipaddress import IPv6Address\nfor l in sys.stdin:\n"
                + "    print(IPv6Address(bytes.fromhex(l.strip())).compressed)\n", in);
        for (int i = 0; i < in.size(); i++) assertThat(IpAddresses.pythonIpaddress(in.get(i))).as(HexFormat.of().formatHex(in.get(i))).isEqualTo(crit.get(i));
    }

    /** sysdig's printing of the IPv6 capture: the addresses of every IPv6 tuple, as sysdig -r shows them. */
    @Test
    void inetNtopPrintsWhatSysdigPrints() throws Exception {
        GroundTruth.require(onPath("sysdig"), "sysdig is not installed");
        Path capture = ProjectFiles.root().resolve("testdata/captures/libs_test_ipv6_client.scap");
        Process p = new ProcessBuilder("sysdig", "-r", capture.toString(), "-p", "%fd.sip %fd.cip", "fd.type=ipv6")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().distinct().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            for (String shown : line.split(" ")) {
                byte[] a = InetAddress.getByName(shown).getAddress(); // a literal: no lookup
                if (a.length == 4) a = mapped(a); // Java unmaps ::ffff:a.b.c.d; sysdig's field was IPv6
                assertThat(IpAddresses.inetNtop(a)).isEqualTo(shown);
            }
        }
    }

    @Test
    void goNetIpUnmapsIpv4AndOtherwisePrintsHexGroups() {
        assertThat(IpAddresses.goNetIp(HexFormat.of().parseHex("00000000000000000000ffff0a580001"))).isEqualTo("10.88.0.1");
        assertThat(IpAddresses.goNetIp(HexFormat.of().parseHex("000000000000000000000000" + "0a580001"))).isEqualTo("::a58:1");
        assertThat(IpAddresses.goNetIp(new byte[] {10, 88, 0, 26})).isEqualTo("10.88.0.26");
        assertThat(IpAddresses.goNetIp(HexFormat.of().parseHex("20010db8000000000000000000000001"))).isEqualTo("2001:db8::1");
        assertThat(IpAddresses.inetNtop(new byte[3])).isEmpty();
    }

    private static byte[] mapped(byte[] v4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        System.arraycopy(v4, 0, a, 12, 4);
        return a;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }

    private static List<String> python(String program, List<byte[]> in) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(CRIT_PYTHON.toString(), "-c", program).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        StringBuilder stdin = new StringBuilder();
        for (byte[] a : in) stdin.append(HexFormat.of().formatHex(a)).append('\n');
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (var o = p.getOutputStream()) {
                o.write(stdin.toString().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        feeder.join();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).hasSize(in.size());
        return out;
    }
}
