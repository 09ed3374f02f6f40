package dev.stasis.capture.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.record.StraceArgs.Fd;
import dev.stasis.capture.record.StraceArgs.Ret;
import dev.stasis.capture.record.StraceRecord.Exit;
import dev.stasis.capture.record.StraceRecord.Signal;
import dev.stasis.capture.record.StraceRecord.Syscall;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strace line parser on lines strace 6.1 printed with -f -ttt -yy -xx (captured on this machine). */
class StraceParserTest {
    private final StraceParser parser = new StraceParser();

    private Syscall call(String line) {
        StraceRecord r = parser.parse(line);
        assertThat(r).isInstanceOf(Syscall.class);
        return (Syscall) r;
    }

    @Test
    void completeCallWithHexPathsAndDecoratedResult() {
        Syscall s = call("17338 1796364318.748739 openat(AT_FDCWD<\\x2f\\x74\\x6d\\x70>, \"\\x2f\\x65\\x74\\x63\\x2f\\x70"
                + "\\x61\\x73\\x73\\x77\\x64\", O_RDONLY|O_CLOEXEC) = 3<\\x2f\\x65\\x74\\x63\\x2f\\x70\\x61\\x73\\x73\\x77\\x64>");
        assertThat(s.tid()).isEqualTo(17338);
        assertThat(s.ts()).isEqualTo(1796364318_748739000L);
        assertThat(s.exitTs()).isEqualTo(s.ts());
        assertThat(s.name()).isEqualTo("openat");
        assertThat(s.args()).hasSize(3);
        assertThat(StraceArgs.fd(s.arg(0))).isEqualTo(new Fd(StraceArgs.AT_FDCWD, "/tmp"));
        assertThat(StraceArgs.string(s.arg(1))).isEqualTo("/etc/passwd");
        assertThat(Flags.open(s.arg(2))).isEqualTo(1 | 4096); // PPM_O_RDONLY | PPM_O_CLOEXEC
        Ret r = StraceArgs.ret(s.ret());
        assertThat(r.value()).isEqualTo(3);
        assertThat(r.decoration()).isEqualTo("/etc/passwd");
        assertThat(r.failed()).isFalse();
    }

    @Test
    void failedCallGivesMinusErrno() {
        Syscall s = call("17338 1796364318.748506 openat(AT_FDCWD<\\x2f>, \"\\x2f\\x6e\\x6f\", O_RDONLY) = -1 ENOENT (No such file or directory)");
        Ret r = StraceArgs.ret(s.ret());
        assertThat(r.value()).isEqualTo(-2);
        assertThat(r.errno()).isEqualTo("ENOENT");
    }

    @Test
    void unfinishedAndResumedAreJoinedPerThread() {
        assertThat(parser.parse("100 1700000000.000001 read(0<\\x2f\\x64\\x65\\x76\\x2f\\x6e\\x75\\x6c\\x6c<char 1:3>>,  <unfinished ...>")).isNull();
        assertThat(parser.pendingCall(100)).isEqualTo("read");
        // another thread's complete call in between
        Syscall other = call("101 1700000000.000002 close(5<TCP:[127.0.0.1:8080->127.0.0.1:40000]>) = 0");
        assertThat(StraceArgs.fd(other.arg(0)).tuple().localPort()).isEqualTo(8080);
        Syscall s = call("100 1700000000.250000 <... read resumed>\"\\x68\\x69\", 4096) = 2");
        assertThat(s.name()).isEqualTo("read");
        assertThat(s.ts()).isEqualTo(1700000000_000001000L);
        assertThat(s.exitTs()).isEqualTo(1700000000_250000000L);
        assertThat(StraceArgs.fd(s.arg(0))).isEqualTo(new Fd(0, "/dev/null"));
        // strace 6 marks an unlinked file after the brackets (what it printed for a memfd here)
        assertThat(StraceArgs.fd("3<\\x2f\\x6d\\x65\\x6d\\x66\\x64\\x3a\\x78>(deleted)")).isEqualTo(new Fd(3, "/memfd:x (deleted)"));
        assertThat(StraceArgs.bytes(s.arg(1))).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(StraceArgs.number(s.arg(2), -1)).isEqualTo(4096);
        assertThat(parser.pendingCalls()).isZero();
    }

    @Test
    void resumedWithoutItsFirstHalfIsSkipped() {
        // the first half came before strace attached
        assertThat(parser.parse("100 1700000000.000001 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 17338")).isNull();
    }

    @Test
    void signalsAndExits() {
        StraceRecord sig = parser.parse("17259 1796364318.763866 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=17338, si_uid=0, si_status=0, si_utime=0, si_stime=1 /* 0.01 s */} ---");
        assertThat(sig).isEqualTo(new Signal(17259, 1796364318_763866000L, "SIGCHLD", 17338));
        assertThat(parser.parse("17338 1796364318.763754 +++ exited with 3 +++")).isEqualTo(new Exit(17338, 1796364318_763754000L, 3, null, false));
        assertThat(parser.parse("17338 1796364318.763754 +++ killed by SIGSEGV (core dumped) +++"))
                .isEqualTo(new Exit(17338, 1796364318_763754000L, 0, "SIGSEGV", true));
        assertThat(parser.parse("17338 1796364318.763754 +++ superseded by execve in pid 17337 +++")).isNull();
        assertThat(Flags.signal("SIGCHLD")).isEqualTo(17);
    }

    @Test
    void exitGroupHasNoReturnValue() {
        Syscall s = call("17338 1796364318.763072 exit_group(0)   = ?");
        assertThat(StraceArgs.ret(s.ret()).known()).isFalse();
    }

    @Test
    void socketDecorations() {
        assertThat(StraceArgs.fd("3<socket:[1234]>").socketInode()).isEqualTo(1234);
        assertThat(StraceArgs.fd("4<TCP:[38597]>").socketInode()).isEqualTo(38597);
        Fd fd = StraceArgs.fd("3<TCP:[127.0.0.1:40000->127.0.0.1:8080]>");
        assertThat(fd.fd()).isEqualTo(3);
        StraceArgs.Tuple t = fd.tuple();
        assertThat(t.localIp()).containsExactly(127, 0, 0, 1);
        assertThat(t.localPort()).isEqualTo(40000);
        assertThat(t.remotePort()).isEqualTo(8080);
        assertThat(t.udp()).isFalse();
        StraceArgs.Tuple v6 = StraceArgs.fd("5<TCPv6:[[::1]:443->[::1]:51000]>").tuple();
        assertThat(v6.localIp()).hasSize(16);
        assertThat(v6.localPort()).isEqualTo(443);
        assertThat(StraceArgs.fd("3<TCP:[127.0.0.1:35531]>").tuple()).isNull(); // listening: one end
        assertThat(StraceArgs.fd("3</etc/passwd>").decoration()).isEqualTo("/etc/passwd");
    }

    @Test
    void connectAndAcceptArguments() {
        Syscall c = call("17432 1796364324.458919 connect(4<TCP:[38597]>, {sa_family=AF_INET, sin_port=htons(35531), "
                + "sin_addr=inet_addr(\"\\x31\\x32\\x37\\x2e\\x30\\x2e\\x30\\x2e\\x31\")}, 16) = 0");
        StraceArgs.SockAddr a = StraceArgs.sockaddr(c.arg(1));
        assertThat(a.family()).isEqualTo("AF_INET");
        assertThat(a.ip()).containsExactly(127, 0, 0, 1);
        assertThat(a.port()).isEqualTo(35531);
        Syscall acc = call("17432 1796364324.460443 accept4(3<TCP:[127.0.0.1:35531]>, {sa_family=AF_INET, sin_port=htons(34000), "
                + "sin_addr=inet_addr(\"\\x31\\x32\\x37\\x2e\\x30\\x2e\\x30\\x2e\\x31\")}, [16], SOCK_CLOEXEC) = 5<TCP:[127.0.0.1:35531->127.0.0.1:34000]>");
        assertThat(acc.args()).hasSize(4);
        StraceArgs.Tuple t = StraceArgs.Tuple.parse(StraceArgs.ret(acc.ret()).decoration());
        assertThat(t.remotePort()).isEqualTo(34000);
        assertThat(StraceArgs.sockaddr("{sa_family=AF_UNIX, sun_path=\"\\x2f\\x72\\x75\\x6e\\x2f\\x78\"}").path()).isEqualTo("/run/x");
    }

    @Test
    void execveArgvAndTruncatedBuffers() {
        Syscall e = call("17476 1796364324.478704 execve(\"\\x2f\\x62\\x69\\x6e\\x2f\\x74\\x72\\x75\\x65\", [\"\\x2f\\x62\\x69\\x6e\\x2f\\x74\\x72\\x75\\x65\", "
                + "\"\\x61\\x2c\\x62\"], 0x7ffcb7548ea0 /* 42 vars */) = 0");
        List<byte[]> argv = StraceArgs.stringArray(e.arg(1));
        assertThat(argv).hasSize(2);
        assertThat(new String(argv.get(1), StandardCharsets.US_ASCII)).isEqualTo("a,b");
        Syscall w = call("9 1700000000.000001 write(1<pipe:[1]>, \"\\x61\\x62\\x63\"..., 5000) = 5000");
        assertThat(StraceArgs.truncated(w.arg(1))).isTrue();
        assertThat(StraceArgs.bytes(w.arg(1))).hasSize(3);
        Syscall v = call("9 1700000000.000001 writev(3<\\x2f\\x74>, [{iov_base=\"\\x61\\x62\", iov_len=2}, {iov_base=\"\\x63\", iov_len=1}], 2) = 3");
        assertThat(new String(StraceArgs.iovData(v.arg(1), 80), StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(StraceArgs.iovLength(v.arg(1))).isEqualTo(3);
        assertThat(StraceArgs.iovData(v.arg(1), 2)).hasSize(2);
    }

    @Test
    void cloneFlagsAndPlainEscapes() {
        Syscall c = call("17432 1796364323.941049 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fee53e5da10) = 17471");
        assertThat(StraceArgs.field("{" + String.join(", ", c.args()) + "}", "flags")).isEqualTo("CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
        assertThat(Flags.ppm("clone_flags", "CLONE_VM|CLONE_THREAD|SIGCHLD")).isEqualTo(32768 | 8192);
        assertThat(StraceArgs.bytes("\"a\\n\\t\\0\\\"b\"")).containsExactly('a', '\n', '\t', 0, '"', 'b');
    }

    @Test
    void linesThatAreNotRecords() {
        assertThat(parser.parse("strace: Process 5190 attached")).isNull();
        assertThat(parser.parse("")).isNull();
        assertThat(parser.parse("12 notatime read(3) = 0")).isNull();
    }
}
