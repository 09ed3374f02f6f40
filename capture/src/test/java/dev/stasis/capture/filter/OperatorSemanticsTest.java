package dev.stasis.capture.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * Operator semantics where the shared captures have no example, checked by
 * hand against the definitions libsinsp uses (fnmatch(3) for glob, path
 * prefixes for pmatch, CIDR containment, base64, byte-wise matching).
 */
class OperatorSemanticsTest {
    private static boolean m(String filter, EventView e) {
        return Filter.compile(filter).matches(e);
    }

    @Test
    void globIsFnmatchWithoutFlags() {
        FakeEvent e = new FakeEvent();
        assertThat(m("fd.name glob /etc/*", e)).isTrue();
        assertThat(m("fd.name glob '/e?c/pass[a-w]d'", e)).isTrue();
        assertThat(m("fd.name glob '/etc/[!p]*'", e)).isFalse();
        assertThat(m("fd.name glob '*'", e)).isTrue(); // '*' crosses '/' without FNM_PATHNAME
        assertThat(m("fd.name glob /ETC/*", e)).isFalse();
        assertThat(m("fd.name iglob /ETC/PASS*", e)).isTrue();
        assertThat(m("fd.name glob '/etc/passw\\d'", e)).isTrue();
    }

    @Test
    void pmatchMatchesWholePathComponents() {
        FakeEvent e = new FakeEvent();
        assertThat(m("fd.name pmatch (/etc)", e)).isTrue();
        assertThat(m("fd.name pmatch (/tmp, /etc/)", e)).isTrue();
        assertThat(m("fd.name pmatch (/et)", e)).isFalse();
        assertThat(m("fd.name pmatch (/etc/passwd)", e)).isTrue();
        assertThat(m("fd.name pmatch (/)", e)).isTrue();
    }

    @Test
    void stringOperators() {
        FakeEvent e = new FakeEvent();
        assertThat(m("proc.cmdline = 'bash -c cat /etc/passwd'", e)).isTrue();
        assertThat(m("proc.cmdline contains 'cat /etc'", e)).isTrue();
        assertThat(m("proc.name icontains ASH", e)).isTrue();
        assertThat(m("proc.name startswith ba and proc.name endswith sh", e)).isTrue();
        // libsinsp's grammar takes only numbers after < <= > >=.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m("proc.name < bat", e))
                .hasMessageStartingWith("expected a number value");
        assertThat(m("proc.name in (zsh, bash)", e)).isTrue();
        assertThat(m("proc.name intersects (bash)", e)).isTrue();
        assertThat(m("proc.name != bash", e)).isFalse();
        assertThat(m("proc.aname[1] = bash", e)).isFalse(); // no parent: no value, the check fails
        assertThat(m("not proc.aname[1] = bash", e)).isTrue();
        assertThat(m("proc.aname[1] exists", e)).isFalse();
    }

    @Test
    void ancestorsWithoutIndexMatchAny() {
        FakeEvent e = new FakeEvent();
        FakeEvent.Thread p1 = new FakeEvent.Thread();
        p1.tid = 50;
        p1.comm = "sshd";
        FakeEvent.Thread p2 = new FakeEvent.Thread();
        p2.tid = 1;
        p2.comm = "systemd";
        p1.parent = p2;
        e.thread.parent = p1;
        assertThat(m("proc.aname = systemd", e)).isTrue();
        assertThat(m("proc.aname = bash", e)).isFalse(); // the process itself is not its ancestor
        assertThat(m("proc.aname[2] = systemd and proc.pname = sshd and proc.apid[1] = 50", e)).isTrue();
        assertThat(m("proc.aname in (sshd, nope)", e)).isTrue();
    }

    @Test
    void numbersCompareAsNumbers() {
        FakeEvent e = new FakeEvent();
        assertThat(m("fd.num = 3 and fd.num > 2 and fd.num <= 3 and fd.num in (1, 3)", e)).isTrue();
        assertThat(m("fd.num = 0x3", e)).isTrue();
        assertThat(m("proc.tty != 0", e)).isTrue();
        assertThat(m("user.uid = 0 and user.name = root and group.name = root", e)).isTrue();
    }

    @Test
    void ipAddressesAndNetworks() throws Exception {
        FakeEvent e = new FakeEvent();
        e.fd.typeChar = '4';
        e.fd.name = "10.1.2.3:40000->93.184.216.34:443";
        e.fd.cip = InetAddress.getByName("10.1.2.3");
        e.fd.sip = InetAddress.getByName("93.184.216.34");
        e.fd.cport = 40000;
        e.fd.sport = 443;
        e.fd.client = true;
        assertThat(m("fd.sip = 93.184.216.34 and fd.sport = 443 and fd.cport > 1024", e)).isTrue();
        assertThat(m("fd.sip in (\"1.2.3.4\", 93.184.216.34)", e)).isTrue();
        assertThat(m("fd.snet = 93.184.0.0/16 and fd.cnet = 10.0.0.0/8", e)).isTrue();
        assertThat(m("fd.net = 10.0.0.0/8", e)).isTrue();
        assertThat(m("fd.net != 10.0.0.0/8", e)).isFalse(); // one end is in it
        assertThat(m("fd.net != 192.168.0.0/16", e)).isTrue(); // neither end is
        assertThat(m("fd.ip = 10.1.2.3 and fd.port = 443", e)).isTrue();
        assertThat(m("fd.l4proto = tcp and fd.typechar = 4", e)).isTrue();
        e.fd.typeChar = '6';
        e.fd.sip = InetAddress.getByName("2001:db8::1");
        assertThat(m("fd.snet = 2001:db8::/32 and not fd.snet = 2001:db9::/32", e)).isTrue();
        assertThat(m("fd.sip = 2001:db8:0::1", e)).isTrue();
    }

    @Test
    void transformers() {
        FakeEvent e = new FakeEvent().param("data", "Y2F0IC9ldGMvcGFzc3dk");
        assertThat(m("toupper(proc.name) = BASH and tolower(toupper(proc.name)) = bash", e)).isTrue();
        assertThat(m("basename(fd.name) = passwd and len(fd.name) = 11", e)).isTrue();
        assertThat(m("b64(evt.arg.data) = 'cat /etc/passwd'", e)).isTrue();
        assertThat(m("len(proc.name) > 3", e)).isTrue();
    }

    @Test
    void buffersMatchBytes() {
        FakeEvent e = new FakeEvent().param("data", new byte[] {0x7f, 'E', 'L', 'F', 0, 1});
        assertThat(m("evt.buffer bstartswith 7f454c46", e)).isTrue();
        assertThat(m("evt.buffer bcontains 0001", e)).isTrue();
        assertThat(m("evt.buffer bcontains 0002", e)).isFalse();
        assertThat(m("evt.buffer contains ELF", e)).isTrue();
        assertThat(m("evt.rawarg.data bcontains 454c46", e)).isTrue();
    }

    @Test
    void containerAndKubernetesFields() {
        FakeEvent e = new FakeEvent();
        assertThat(m("container.id = 3ad7b26ded6d and container.name = web and container.image.repository = docker.io/library/nginx", e)).isTrue();
        assertThat(m("k8s.pod.name = web-0 and k8s.ns.name = shop and container.image.tag = 1.25", e)).isTrue();
        assertThat(m("k8s.pod.label[io.kubernetes.pod.name] = web-0", e)).isTrue();
    }

    @Test
    void outputFormatsLikeSysdig() {
        FakeEvent e = new FakeEvent();
        assertThat(OutputFormat.compile("%evt.num %proc.name %fd.name 100%%").format(e)).isEqualTo("42 bash /etc/passwd 100%");
        // Without '*' a line with a missing field is not printed; with it the field prints as <NA>.
        assertThat(OutputFormat.compile("%proc.name %proc.aname[1]").format(e)).isNull();
        assertThat(OutputFormat.compile("*%proc.name %proc.aname[1]").format(e)).isEqualTo("bash <NA>");
        assertThat(OutputFormat.compile("user=%user.name.").format(e)).isEqualTo("user=root.");
        assertThat(OutputFormat.compile("%evt.arg.data").format(new FakeEvent().param("data", "x"))).isEqualTo("x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputFormat.compile("%proc.nosuch"))
                .hasMessageContaining("unknown field 'proc.nosuch'");
    }

    @Property(tries = 200)
    void globOfALiteralIsEquality(@ForAll @AlphaChars @StringLength(min = 1, max = 12) String name) {
        FakeEvent e = new FakeEvent();
        e.thread.comm = name;
        assertThat(m("proc.name glob '" + name + "'", e)).isTrue();
        assertThat(m("proc.name glob '" + name + "x'", e)).isFalse();
        assertThat(m("proc.name iglob '" + name.toUpperCase() + "'", e)).isTrue();
    }

    @Property(tries = 200)
    void negationAndDeMorgan(@ForAll @AlphaChars @StringLength(min = 1, max = 6) String a,
            @ForAll @AlphaChars @StringLength(min = 1, max = 6) String b) {
        FakeEvent e = new FakeEvent();
        String x = "proc.name startswith " + a;
        String y = "fd.name contains " + b;
        assertThat(m("not (" + x + " or " + y + ")", e)).isEqualTo(m("not " + x + " and not " + y, e));
        assertThat(m("not (" + x + " and " + y + ")", e)).isEqualTo(!m(x, e) || !m(y, e));
    }
}
