package dev.stasis.capture.state;

import dev.stasis.capture.scap.FdEntry;
import dev.stasis.capture.scap.FdKind;
import dev.stasis.capture.scap.InterfaceEntry;
import dev.stasis.capture.scap.MachineInfo;
import dev.stasis.capture.scap.ProcessEntry;
import dev.stasis.capture.scap.RawEvent;
import dev.stasis.capture.scap.ScapWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes, with the project's ScapWriter, the captures of capture/src/test/resources/fidelity
 * that a strace recording cannot produce: a listening socket turned into a connection by a
 * datagram, IPv6 sockets, containers of every cgroup layout libsinsp knows (threads known only
 * from the process list), a container with an IP from its container event. Events are in the
 * versions of sysdig 0.29.3's driver (libs e5c53d64), each call an enter and an exit. What
 * sysdig selects in them is the ground truth ({@link SysdigFidelityTest}); this class only makes
 * the input. Run: {@code java -cp ... dev.stasis.capture.state.FidelityCaptures DIR}.
 */
public final class FidelityCaptures {
    private static final String ID_DOCKER = "3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e";
    private static final String ID_KUBE = "91b6a2a3ba6c3a5d2d0f8b0c8a1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d";
    private static final String ID_CRIO = "0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a";
    private static final String ID_CONTAINERD = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    private static final String ID_PODMAN = "abcdefabcdef0123456789abcdefabcdef0123456789abcdefabcdef01234567";
    private static final String ID_WITH_IP = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";

    private final List<RawEvent> events = new ArrayList<>();
    private long num = 1;
    private long ts = 1_700_000_000_000_000_000L;

    private FidelityCaptures() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "capture/src/test/resources/fidelity");
        Files.createDirectories(dir);
        sockets(dir.resolve("synthetic_sockets.scap"));
        containers(dir.resolve("synthetic_containers.scap"));
    }

    /** One host process: listening TCP and UDP sockets, accepted clients, a datagram on a bound socket, IPv6. */
    static void sockets(Path file) throws IOException {
        FidelityCaptures c = new FidelityCaptures();
        long tid = 100;
        // a TCP server: socket, bind 127.0.0.1:8080, listen, two accept4 (from 127.0.0.1 and 192.0.2.9)
        c.socket(tid, 3, 2, 1, 6);
        c.bind(tid, 3, sockaddr4(ip(127, 0, 0, 1), 8080));
        c.listen(tid, 3);
        c.accept4(tid, 4, tuple4(ip(127, 0, 0, 1), 40001, ip(127, 0, 0, 1), 8080));
        c.recvfrom(tid, 4, "hello", new byte[0]);
        c.sendto(tid, 4, "HELLO", new byte[0]);
        c.accept4(tid, 5, tuple4(ip(192, 0, 2, 9), 40002, ip(192, 0, 2, 2), 8080));
        c.recvfrom(tid, 5, "remote", new byte[0]);
        c.close(tid, 5);
        // a UDP server bound to a port: a datagram with a tuple turns the listening socket into a connection
        c.socket(tid, 6, 2, 2, 17);
        c.bind(tid, 6, sockaddr4(ip(127, 0, 0, 1), 5353));
        c.recvfrom(tid, 6, "query", tuple4(ip(127, 0, 0, 1), 40003, ip(127, 0, 0, 1), 5353));
        c.sendto(tid, 6, "answer", tuple4(ip(127, 0, 0, 1), 5353, ip(127, 0, 0, 1), 40003));
        c.close(tid, 6);
        // a UDP client that never connects: sendto with a tuple infers the socket
        c.socket(tid, 7, 2, 2, 17);
        c.sendto(tid, 7, "ping", tuple4(new byte[4], 0, ip(10, 9, 8, 7), 53));
        c.recvfrom(tid, 7, "pong", tuple4(ip(10, 9, 8, 7), 53, ip(192, 0, 2, 2), 40004));
        // a client socket that connects to a local server, and one refused
        c.socket(tid, 8, 2, 1, 6);
        c.connect(tid, 8, sockaddr4(ip(127, 0, 0, 1), 8080), 0, tuple4(ip(127, 0, 0, 1), 40005, ip(127, 0, 0, 1), 8080));
        c.socket(tid, 9, 2, 1, 6);
        c.connect(tid, 9, sockaddr4(ip(192, 0, 2, 77), 9999), -111, new byte[0]);
        // IPv6: a listening socket on ::, an accepted client from ::1, a client to ::1 and one to 2001:db8::5
        c.socket(tid, 10, 10, 1, 6);
        c.bind(tid, 10, sockaddr6(new byte[16], 8443));
        c.listen(tid, 10);
        c.accept4(tid, 11, tuple6(ip6(1), 40006, ip6(1), 8443));
        c.recvfrom(tid, 11, "six", new byte[0]);
        c.socket(tid, 12, 10, 1, 6);
        c.connect(tid, 12, sockaddr6(ip6(1), 8443), 0, tuple6(ip6(1), 40007, ip6(1), 8443));
        c.socket(tid, 13, 10, 2, 17);
        byte[] db8 = ip6(5);
        db8[0] = 0x20;
        db8[1] = 0x01;
        db8[2] = 0x0d;
        db8[3] = (byte) 0xb8;
        c.sendto(tid, 13, "v6", tuple6(new byte[16], 0, db8, 53));
        c.close(tid, 3);
        c.close(tid, 10);
        List<FdEntry> fds = List.of(
                // before the capture: a listening socket and both ends of a connection to it (fix_sockets_coming_from_proc)
                fd(tid, 20, FdKind.IPV4_SERVSOCK, ip(127, 0, 0, 1), new byte[4], 7000, 0, 2),
                fd(tid, 21, FdKind.IPV4_SOCK, ip(127, 0, 0, 1), ip(127, 0, 0, 1), 7000, 41000, 2),
                fd(tid, 22, FdKind.IPV4_SOCK, ip(127, 0, 0, 1), ip(127, 0, 0, 1), 41000, 7000, 2),
                fd(tid, 23, FdKind.IPV6_SOCK, ip6(1), ip6(1), 41001, 7001, 2));
        c.recvfrom(tid, 21, "old", new byte[0]);
        c.sendto(tid, 22, "old", new byte[0]);
        c.recvfrom(tid, 23, "old6", new byte[0]);
        c.close(tid, 20);
        c.write(file, List.of(process(tid, tid, 1, "server", "")), fds);
    }

    /** Threads of containers known only from the process list, one per cgroup layout, and a container event with an IP. */
    static void containers(Path file) throws IOException {
        FidelityCaptures c = new FidelityCaptures();
        List<ProcessEntry> procs = List.of(
                process(100, 100, 1, "host", "cpu=/user.slice"),
                process(200, 200, 1, "dockerd-child", "cpu=/docker/" + ID_DOCKER + "\0memory=/docker/" + ID_DOCKER),
                // a thread of the same process whose entry has no cgroups: host for libsinsp
                process(201, 200, 1, "dockerd-child", ""),
                process(300, 300, 1, "kubepod", "cpu=/kubepods/besteffort/pod1234/" + ID_KUBE),
                process(400, 400, 1, "crio", "cpu=/kubepods.slice/kubepods-besteffort.slice/crio-" + ID_CRIO + ".scope"),
                process(500, 500, 1, "containerd", "cpu=/system.slice/containerd.service/kubepods-x:cri-containerd:" + ID_CONTAINERD),
                process(600, 600, 1, "podman", "name=systemd=/machine.slice/libpod-" + ID_PODMAN + ".scope/container"),
                process(700, 700, 1, "lxc", "cpu=/lxc/web01/init.scope"),
                process(800, 800, 1, "shortid", "cpu=/docker/" + ID_DOCKER.substring(0, 63)),
                process(900, 900, 1, "withip", "cpu=/docker/" + ID_WITH_IP));
        c.containerJson(900, "{\"container\":{\"id\":\"" + ID_WITH_IP.substring(0, 12) + "\",\"type\":0,\"name\":\"web\","
                + "\"image\":\"nginx\",\"ip\":\"172.17.0.5\",\"Mounts\":[],\"labels\":{}}}");
        for (ProcessEntry p : procs) {
            long tid = p.tid();
            // an unconnected socket (0.0.0.0), then a connection to a host address and to 172.17.0.5
            c.socket(tid, 3, 2, 1, 6);
            c.connect(tid, 3, sockaddr4(ip(127, 0, 0, 1), 80), 0, tuple4(ip(127, 0, 0, 1), 40000 + (int) (tid / 100),
                    ip(127, 0, 0, 1), 80));
            c.socket(tid, 4, 2, 1, 6);
            c.connect(tid, 4, sockaddr4(ip(172, 17, 0, 5), 80), 0, tuple4(ip(172, 17, 0, 9), 41000 + (int) (tid / 100),
                    ip(172, 17, 0, 5), 80));
            c.accept4(tid, 5, tuple4(ip(172, 17, 0, 9), 42000, ip(172, 17, 0, 5), 8080));
            c.close(tid, 3);
        }
        c.write(file, procs, List.of());
    }

    // ---- events in sysdig 0.29.3's driver versions ----

    private void socket(long tid, long fd, int domain, int type, int proto) {
        pair(tid, 18, p(u32(domain), u32(type), u32(proto)), 19, p(i64(fd)));
    }

    private void bind(long tid, long fd, byte[] addr) {
        pair(tid, 20, p(i64(fd)), 21, p(i64(0), addr));
    }

    private void listen(long tid, long fd) {
        pair(tid, 24, p(i64(fd), u32(5)), 25, p(i64(0)));
    }

    private void accept4(long tid, long fd, byte[] tuple) {
        pair(tid, 248, p(u32(0)), 249, p(i64(fd), tuple, new byte[] {0}, u32(0), u32(5)));
    }

    private void connect(long tid, long fd, byte[] addr, long res, byte[] tuple) {
        pair(tid, 22, p(i64(fd), addr), 23, p(i64(res), tuple));
    }

    private void recvfrom(long tid, long fd, String data, byte[] tuple) {
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        pair(tid, 34, p(i64(fd), u32(64)), 35, p(i64(d.length), d, tuple));
    }

    private void sendto(long tid, long fd, String data, byte[] tuple) {
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        pair(tid, 30, p(i64(fd), u32(d.length), tuple), 31, p(i64(d.length), d));
    }

    private void close(long tid, long fd) {
        pair(tid, 4, p(i64(fd)), 5, p(i64(0)));
    }

    private void containerJson(long tid, String json) {
        events.add(RawEvent.of(num++, 0, ts += 1000, tid, 272, cstr(json)));
    }

    private void pair(long tid, int enter, byte[][] ep, int exit, byte[][] xp) {
        events.add(RawEvent.of(num++, 0, ts += 1000, tid, enter, ep));
        events.add(RawEvent.of(num++, 0, ts += 1000, tid, exit, xp));
    }

    private void write(Path file, List<ProcessEntry> procs, List<FdEntry> fds) throws IOException {
        List<InterfaceEntry> ifs = List.of(
                new InterfaceEntry(3, "lo", ip(127, 0, 0, 1), ip(255, 0, 0, 0), ip(127, 255, 255, 255), 0),
                new InterfaceEntry(3, "eth0", ip(192, 0, 2, 2), ip(255, 255, 255, 0), ip(192, 0, 2, 255), 0),
                new InterfaceEntry(4, "lo", ip6(1), ip6(0), ip6(0), 0));
        MachineInfo machine = new MachineInfo(2, 1L << 30, 4_194_304, "fidelity", new long[4]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ScapWriter w = ScapWriter.create(bytes)) {
            w.writeMetadata(machine, ifs, List.of(), List.of(), procs, fds);
            for (RawEvent e : events) {
                w.writeEvent(e);
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            bytes.writeTo(out);
        }
    }

    private static ProcessEntry process(long tid, long pid, long ptid, String comm, String cgroups) {
        byte[] cg = cgroups.isEmpty() ? new byte[0] : cstr(cgroups);
        return new ProcessEntry(tid, pid, ptid, pid, pid, comm, "/usr/bin/" + comm, "/usr/bin/" + comm, new byte[0], "/",
                1024, 0, 0, 0, 0, 0, 0, 0, 0, new byte[0], tid, pid, cg, "/", -1, false, 0, 0, 0, 0);
    }

    private static FdEntry fd(long tid, long fd, FdKind kind, byte[] sip, byte[] dip, int sport, int dport, int l4) {
        return new FdEntry(tid, fd, 1000 + fd, kind, sip, dip, sport, dport, l4, 0, 0, "", 0, 0);
    }

    // ---- parameter encodings (little endian, as the driver writes them) ----

    private static byte[][] p(byte[]... params) {
        return params;
    }

    private static byte[] i64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] u32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    private static byte[] cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }

    static byte[] ip(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    /** ::n */
    static byte[] ip6(int last) {
        byte[] a = new byte[16];
        a[15] = (byte) last;
        return a;
    }

    private static byte[] sockaddr4(byte[] ip, int port) {
        return ByteBuffer.allocate(7).order(ByteOrder.LITTLE_ENDIAN).put((byte) 2).put(ip).putShort((short) port).array();
    }

    private static byte[] sockaddr6(byte[] ip, int port) {
        return ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN).put((byte) 10).put(ip).putShort((short) port).array();
    }

    private static byte[] tuple4(byte[] sip, int sport, byte[] dip, int dport) {
        return ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN).put((byte) 2).put(sip).putShort((short) sport)
                .put(dip).putShort((short) dport).array();
    }

    private static byte[] tuple6(byte[] sip, int sport, byte[] dip, int dport) {
        return ByteBuffer.allocate(37).order(ByteOrder.LITTLE_ENDIAN).put((byte) 10).put(sip).putShort((short) sport)
                .put(dip).putShort((short) dport).array();
    }
}
