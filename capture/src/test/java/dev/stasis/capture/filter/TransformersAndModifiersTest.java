package dev.stasis.capture.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The parts of the filter language newer than sysdig 0.29, checked against the
 * expectations of libsinsp's own unit tests (falcosecurity/libs at 48dfd53c,
 * userspace/libsinsp/test/): the operator modifiers oneof/anyof/allof
 * (filter_parser.ut.cpp parse_str_op_modifier_accept, filter_compiler.ut.cpp
 * lines 1105-1133, filter_op_net_compare.ut.cpp lines 92-109) and the
 * multivalue transformers join, concat and getopt (filter_transformer.ut.cpp
 * multivalue_transformer_join/_concat/_getopt and the chaining tests at 533-597).
 * libsinsp's test event is an open of /tmp/file_to_run (fd.directory /tmp) with
 * evt.num 1; ours has the same fd and evt.num 42, so "1,1" reads "42,42" here.
 */
class TransformersAndModifiersTest {
    private FakeEvent evt;

    @BeforeEach
    void event() {
        evt = new FakeEvent();
        evt.fd.name = "/tmp/file_to_run";
    }

    private boolean eval(String filter) {
        return Filter.compile(filter).matches(evt);
    }

    private void fails(String filter) {
        assertThatThrownBy(() -> Filter.compile(filter)).as(filter).isInstanceOf(FilterException.class);
    }

    @Test
    void modifiersParseWhereLibsinspAcceptsThem() {
        // filter_parser.ut.cpp parse_str_op_modifier_accept (the ones our fields have).
        for (String f : new String[] {"proc.name == oneof (cat, nginx)", "proc.name = anyof (cat, nginx)",
                "proc.name != allof (cat, nginx)", "proc.name == oneof ()", "proc.name == oneof ('cat', \"nginx\", bare)",
                "proc.exepath == oneof (/usr/bin/bash, /bin/sh, /usr/sbin/sshd)", "proc.name == oneof allowed_processes",
                "proc.name == oneof oneof", "proc.aname[2] != oneof (bash, sh)", "tolower(proc.name) == oneof (cat, nginx)",
                "b64(proc.cmdline) == allof (\"dGVzdA==\")", "proc.name == 'oneof'", "proc.name == oneof",
                "proc.name == oneof_something", "not proc.name == oneof (cat, nginx)", "(proc.name == oneof)",
                "proc.name == anyof and fd.name exists", "proc.name == oneof or fd.name exists",
                "proc.name contains oneof (cat, nginx)", "proc.name startswith anyof (/proc/, /sys/)",
                "proc.name endswith allof (.so, .so.1)", "proc.name glob oneof (cat*, *dog)",
                "proc.name iglob allof (cat*)", "proc.name icontains anyof (cat, nginx)",
                "proc.name != oneof (a) and proc.name contains anyof (x, y)"}) {
            Filter.compile(f);
        }
    }

    @Test
    void bareModifierWordsAreValues() {
        evt.thread.comm = "oneof";
        assertThat(eval("proc.name == oneof")).isTrue();
        assertThat(eval("(proc.name == oneof)")).isTrue();
        assertThat(eval("proc.name == oneof and fd.name exists")).isTrue();
        assertThat(eval("proc.name == oneof oneof")).isTrue(); // the list named 'oneof'
    }

    @Test
    void modifierSemantics() {
        evt.type = "getcwd";
        // filter_compiler.ut.cpp 1105-1125: oneof = exactly one, anyof = at least one, allof = every one.
        assertThat(eval("evt.type == oneof (getcwd, openat)")).isTrue();
        assertThat(eval("evt.type == oneof (getcwd)")).isTrue();
        assertThat(eval("evt.type == oneof (openat, execve)")).isFalse();
        assertThat(eval("evt.type == oneof ()")).isFalse();
        assertThat(eval("evt.type == anyof (getcwd, openat)")).isTrue();
        assertThat(eval("evt.type == anyof (getcwd)")).isTrue();
        assertThat(eval("evt.type == anyof (openat, execve)")).isFalse();
        assertThat(eval("evt.type == anyof ()")).isFalse();
        assertThat(eval("evt.type == allof (getcwd)")).isTrue();
        assertThat(eval("evt.type == allof (getcwd, openat)")).isFalse();
        assertThat(eval("evt.type == allof (openat)")).isFalse();
        assertThat(eval("evt.type == allof ()")).isFalse();
        assertThat(eval("toupper(evt.source) == oneof (SYSCALL, NA)")).isTrue();
        assertThat(eval("toupper(evt.source) == oneof (UNKNOWN, NA)")).isFalse();
        assertThat(eval("evt.type == oneof (getcwd, openat) and evt.source == anyof (syscall)")).isTrue();
        assertThat(eval("evt.type == oneof (openat, execve) and evt.source == anyof (syscall)")).isFalse();
        // oneof counts matches of the operator, not of equality: both prefixes match here.
        assertThat(eval("fd.name startswith oneof (/tmp, /tmp/file)")).isFalse();
        assertThat(eval("fd.name startswith anyof (/etc, /tmp/file)")).isTrue();
        assertThat(eval("fd.name glob allof (/tmp/*, *_run)")).isTrue();
        assertThat(eval("fd.name endswith allof (_run, .so)")).isFalse();
        assertThat(eval("fd.name regex anyof ('/etc/.*', '/tmp/[a-z_]+')")).isTrue();
    }

    @Test
    void modifiersOnAddresses() throws Exception {
        // filter_op_net_compare.ut.cpp 92-109, and filter_compiler.ut.cpp 487-520 (which operators compile).
        evt.fd.typeChar = '4';
        evt.fd.client = true;
        evt.fd.cip = InetAddress.getByName("172.40.111.222");
        evt.fd.sip = InetAddress.getByName("142.251.111.147");
        evt.fd.cport = 54321;
        evt.fd.sport = 443;
        assertThat(eval("fd.sip == anyof (142.251.111.147)")).isTrue();
        assertThat(eval("fd.sip == anyof (10.0.0.1, 142.251.111.147)")).isTrue();
        assertThat(eval("fd.sip == anyof (10.0.0.1, 192.168.0.1)")).isFalse();
        assertThat(eval("fd.sip == allof (142.251.111.147)")).isTrue();
        assertThat(eval("fd.sip == allof (142.251.111.147, 10.0.0.1)")).isFalse();
        assertThat(eval("fd.sip == oneof (10.0.0.1, 142.251.111.147)")).isTrue();
        assertThat(eval("fd.sip == oneof (10.0.0.1, 192.168.0.1)")).isFalse();
        assertThat(eval("fd.sip != anyof (10.0.0.1)")).isTrue();
        assertThat(eval("fd.sip != anyof (142.251.111.147)")).isFalse();
        assertThat(eval("fd.sip != allof (10.0.0.1, 192.168.0.1)")).isTrue();
        fails("fd.ip contains anyof (127.0.0.1)");
        fails("fd.ip regex allof ('.*')");
        fails("fd.net startswith allof (127.0.0.1/32)");
        Filter.compile("fd.net != allof (127.0.0.1/32)");
    }

    @Test
    void join() {
        // filter_transformer.ut.cpp multivalue_transformer_join
        assertThat(eval("join(fd.name, (fd.name,fd.directory)) = /tmp/file_to_run/tmp/file_to_run/tmp")).isTrue();
        assertThat(eval("join(\"-\", (fd.name,fd.directory)) = /tmp/file_to_run-/tmp")).isTrue();
        assertThat(eval("join(\"-\", (\"aaa\",\"bbb\")) = aaa-bbb")).isTrue();
        assertThat(eval("join(\"->\", (\"aaa\",\"bbb\")) = aaa->bbb")).isTrue();
        assertThat(eval("join(\"->\", (\"aaa\")) = aaa")).isTrue();
        assertThat(eval("join(\"->\", (fd.name, \"aaa\")) = /tmp/file_to_run->aaa")).isTrue();
        assertThat(eval("join(\"->\", (fd.name, \"aaa\", fd.directory)) = /tmp/file_to_run->aaa->/tmp")).isTrue();
        assertThat(eval("join(\"->\", (toupper(fd.name), \"aaa\")) = /TMP/FILE_TO_RUN->aaa")).isTrue();
        assertThat(eval("join(\"->\", ( \"aaa\", toupper(fd.name))) = aaa->/TMP/FILE_TO_RUN")).isTrue();
        assertThat(eval("join(\"-\", (fd.directory, join(\"->\", ( \"aaa\", toupper(fd.name))))) = "
                + "/tmp-aaa->/TMP/FILE_TO_RUN")).isTrue();
        assertThat(eval("join(\",\", (\"aaa\",\"bbb\")) = \"aaa,bbb\"")).isTrue();
        assertThat(eval("join(\",\", (\"aaa\",\"bbb\")) = \"aaa-bbb\"")).isFalse();
        assertThat(eval("join(\",\", (evt.num, evt.num)) = \"42,42\"")).isTrue();
        assertThat(eval("join(\",\", ()) = \"\"")).isTrue();
        assertThat(eval("join(\",\", ()) = \",\"")).isFalse();
        fails("join() = foo");
        fails("join(\"-\") = foo");
        fails("join(\"-\", \"a\", \"b\") = foo");
        fails("join((\"a\", \"b\"), (\"a\", \"b\")) = foo");
        fails("join((\"a\", \"b\"), \"a\") = foo");
        fails("join(\"a\", \"b\") = foo");
    }

    @Test
    void concat() {
        // filter_transformer.ut.cpp multivalue_transformer_concat
        assertThat(eval("concat(fd.name, fd.directory) = /tmp/file_to_run/tmp")).isTrue();
        assertThat(eval("concat(\"aaa\", \"bbb\") = aaabbb")).isTrue();
        assertThat(eval("concat(\"aaa\", \"bbb\", \"ccc\") = aaabbbccc")).isTrue();
        assertThat(eval("concat(fd.name, \"aaa\") = /tmp/file_to_runaaa")).isTrue();
        assertThat(eval("concat(fd.name, \"aaa\", fd.directory) = /tmp/file_to_runaaa/tmp")).isTrue();
        assertThat(eval("concat(toupper(fd.name), \"aaa\") = /TMP/FILE_TO_RUNaaa")).isTrue();
        assertThat(eval("concat(\"aaa\", toupper(fd.name)) = aaa/TMP/FILE_TO_RUN")).isTrue();
        assertThat(eval("concat(fd.directory, concat(\"aaa\", toupper(fd.name))) = /tmpaaa/TMP/FILE_TO_RUN")).isTrue();
        assertThat(eval("concat(\"aaa\", \"bbb\") = \"aaa-bbb\"")).isFalse();
        fails("concat() = foo");
        fails("concat(\"aaa\") = foo");
        fails("concat((\"a\", \"b\"), \"a\") = foo");
        fails("concat(\"a\", (\"a\", \"b\")) = foo");
        fails("concat(evt.num, \"a\") = foo"); // a number field is not a string
    }

    @Test
    void oneArgumentTransformersOverMultivalueOnes() {
        // filter_transformer.ut.cpp 533-597
        assertThat(eval("toupper(join(\"-\", (fd.name, fd.directory))) = /TMP/FILE_TO_RUN-/TMP")).isTrue();
        assertThat(eval("tolower(join(\"-\", (\"AAA\", \"BBB\"))) = aaa-bbb")).isTrue();
        assertThat(eval("len(join(\"-\", (fd.name, fd.directory))) = 21")).isTrue();
        assertThat(eval("len(join(\"-\", (\"aaa\", \"bbb\"))) = 7")).isTrue();
        assertThat(eval("b64(join(\"W\", (\"YWFhL\", \"JiYg\"))) = \"aaa-bbb\"")).isTrue();
        assertThat(eval("toupper(tolower(join(\"-\", (fd.name, fd.directory)))) = /TMP/FILE_TO_RUN-/TMP")).isTrue();
        assertThat(eval("toupper(join(\"-\", (fd.name, fd.directory))) startswith /TMP")).isTrue();
        assertThat(eval("len(join(\"-\", (fd.name, fd.directory))) < 22")).isTrue();
        assertThat(eval("toupper(concat(fd.name, fd.directory)) = /TMP/FILE_TO_RUN/TMP")).isTrue();
        assertThat(eval("len(concat(fd.name, fd.directory)) = 20")).isTrue();
        assertThat(eval("b64(concat(\"YWFh\", \"YmJi\")) = \"aaabbb\"")).isTrue();
        assertThat(eval("len(concat(fd.name, fd.directory)) >= 20")).isTrue();
    }

    @Test
    void getopt() {
        // filter_transformer.ut.cpp multivalue_transformer_getopt
        String[] yes = {
            "getopt((\"-n\",\"\"), \"n\") intersects (\"n\")",
            "getopt((\"-t\", \"hello\"), \"t:\") intersects (\"t\", \"hello\")",
            "getopt((\"-nt\", \"hello\"), \"nt:\") intersects (\"n\", \"t\", \"hello\")",
            "getopt((\"-thello\"), \"t:\") intersects (\"t\", \"hello\")",
            "getopt((\"-n\", \"--\", \"-t\"), \"nt:\") intersects (\"n\")",
            "getopt((\"-x\", \"-n\"), \"n\") intersects (\"?\", \"n\")",
            "getopt((\"-lpe\", \"/bin/sh\"), \"lp:e:\") intersects (\"l\",\"p\",\"e\")",
            "getopt((\"-lpe\", \"/bin/sh\"), \"lpe:\") intersects (\"/bin/sh\")",
            "getopt((\"-t\"), \"t:\") intersects (\"\")",
            "getopt((\"-t\"), \":t:\") intersects (\"\")",
            "getopt((\"-n\", \"--\", \"--\"), \"n\") intersects (\"n\")",
            "getopt((\"-nat\", \"hello\"), \"na:t\") intersects (\"n\", \"a\", \"t\")",
            "getopt((\"-abcvalue\"), \"abc:\") intersects (\"a\", \"b\", \"c\", \"value\")",
            "getopt((\"-t\", \"val1\", \"-t\", \"val2\"), \"t:\") intersects (\"t\", \"val1\", \"val2\")",
            "getopt((\"-t\", \"-123\"), \"t:\") intersects (\"t\", \"-123\")",
            "getopt((\"-f\", \"another_file\", \"regular_file\"), \"f:\") intersects (\"f\", \"another_file\")",
            "getopt((\"-@\", \"-+\"), \"@+\") intersects (\"@\", \"+\")",
            "getopt((\"-nx\"), \"n\") intersects (\"n\", \"?\")",
            "getopt((\"-n\", \"-t\", \"hello\"), \"nt:\")[t] = hello",
            "getopt((\"-n\", \"-t\", \"hello\"), \"nt:\")[n] = n",
            "getopt((\"-t\", \"v1\", \"-t\", \"v2\"), \"t:\")[t] = v2",
            "getopt((\"-t?\"), \"t:\")[t] = ?",
            "getopt((\"-t:\"), \":t:\")[t] = :",
            "getopt((\"-t\"), \"t:\")[t] = \"\"",
            "getopt((\"-t\", \"v1\", \"-t\"), \"t:\")[t] = \"\"",
            "getopt((\"--exec\", \"-n\"), \"n\") intersects (\"n\")",
            "getopt((\"-n\", \"file\", \"-t\"), \"nt\") intersects (\"n\")",
        };
        String[] no = {
            "getopt((\"-n\"), \"n\") intersects (\"t\")",
            "getopt((\"-n\", \"--\", \"-t\"), \"nt:\") intersects (\"t\")",
            "getopt((\"-x\", \"-n\"), \"n\") intersects (\"x\")",
            "getopt((\"-n\", \"-t\"), \"\") intersects (\"n\")",
            "getopt((\"\"), \"n\") intersects (\"n\")",
            "getopt((\"arg1\", \"-n\", \"arg2\"), \"n\") intersects (\"n\")",
            "getopt((\"-\", \"-n\"), \"n\") intersects (\"n\")",
            "getopt((\"-t\"), \"t:\") intersects (\"?\")",
            "getopt((\"-t\"), \"t:\") intersects (\"t\")",
            "getopt((\"-t\"), \":t:\") intersects (\":\")",
            "getopt((\"--\", \"-n\"), \"n\") intersects (\"n\")",
            "getopt((\"regular_file\", \"-f\", \"another_file\"), \"f:\") intersects (\"f\", \"another_file\")",
            "getopt((\"\", \"-n\", \"\"), \"n\") intersects (\"n\")",
            "getopt((\"-n\", \"-t\", \"hello\"), \"nt:\")[t] = n",
            "getopt((\"-t\"), \"t:\")[t] != \"\"",
            "getopt((\"-t\"), \"t:\")[t] = ?",
            "getopt((\"-n\"), \"nt:\")[t] != \"\"",
            "getopt((\"-t\", \"v1\", \"-t\"), \"t:\")[t] = v1",
            "getopt((\"--exec\"), \"e:\") intersects (\"?\")",
            "getopt((\"--exec\"), \"e:\") intersects (\"e\")",
        };
        for (String f : yes) assertThat(eval(f)).as(f).isTrue();
        for (String f : no) assertThat(eval(f)).as(f).isFalse();
        fails("getopt() intersects (\"n\")");
        fails("getopt((\"a\")) intersects (\"n\")");
        fails("getopt((\"a\"), \"n\", \"extra\") intersects (\"n\")");
        fails("getopt(\"not_a_list\", \"n\") intersects (\"n\")");
        fails("getopt((\"-n\"), (\"n\")) intersects (\"n\")");
        fails("getopt((\"-n\"), \"n\")[\"\"] = n");
        // A list only takes exists, in and intersects (libsinsp's list filters).
        fails("getopt((\"-n\"), \"n\") = n");
    }

    @Test
    void getoptOverTheProcessArguments() {
        // The use it is made for: a list built from fields, here proc.name and argv (FakeEvent: bash -c "cat /etc/passwd").
        assertThat(eval("getopt((\"-c\", \"cat /etc/passwd\"), \"c:\")[c] = \"cat /etc/passwd\"")).isTrue();
        assertThat(eval("getopt((proc.name), \"c:\") intersects (\"c\")")).isFalse();
        assertThat(eval("len(getopt((\"-a\", \"-b\"), \"ab\")) = 2")).isTrue();
        assertThat(eval("getopt((\"-a\", \"-b\"), \"ab\") in (a, b, c)")).isTrue();
        assertThat(eval("getopt((\"-a\", \"-x\"), \"ab\") in (a, b, c)")).isFalse();
        assertThat(eval("getopt((\"-a\"), \"ab\") exists")).isTrue();
    }

    @Test
    void unknownFunctionsAndArgumentsAreRefusedClearly() {
        assertThatThrownBy(() -> Filter.compile("trim(proc.name) = bash"))
                .hasMessageContaining("unknown transformer 'trim'").hasMessageContaining("getopt");
        assertThatThrownBy(() -> Filter.compile("toupper(proc.name)[1] = BASH"))
                .hasMessageContaining("does not support field arguments");
        assertThatThrownBy(() -> Filter.compile("join(\"-\", (\"a\"))[1] = a"))
                .hasMessageContaining("does not support field arguments");
        assertThatThrownBy(() -> Filter.compile("toupper(proc.name, fd.name) = A"))
                .hasMessageContaining("takes one argument");
    }

    @Test
    void filterReportsTheFieldsInsideTransformers() {
        assertThat(Filter.compile("concat(proc.name, fd.name) = x and join(\"-\", (evt.num)) = y").fields())
                .containsExactlyInAnyOrder("proc.name", "fd.name", "evt.num");
    }
}
