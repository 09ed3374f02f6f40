package dev.stasis.checkpoint.criu;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.stasis.checkpoint.criu.images.GhostFile;
import dev.stasis.checkpoint.criu.images.IpcMsg;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Images of the kinds the bundled checkpoints do not contain, built with the
 * generated protobuf builders (text format for brevity) and encoded with
 * {@link ImageWriter}. Their crit output is stored next to them in
 * src/test/resources/criu-synthetic (made by running crit 4.2 on these exact
 * bytes: see {@link #main}); the test compares stasis against that.
 */
final class SyntheticImages {
    private SyntheticImages() {}

    static final String FOWN = "fown { uid: 0 euid: 0 signum: 0 pid_type: 0 pid: 0 }";
    static final String SKOPTS = "opts { so_sndbuf: 212992 so_rcvbuf: 131072 so_snd_tmo_sec: 0 so_snd_tmo_usec: 0 so_rcv_tmo_sec: 0 so_rcv_tmo_usec: 0 reuseaddr: true }";
    static final String FH = "f_handle { bytes: 8 type: 1 handle: 12345 handle: 18446744073709551615 path: \"/etc\" }";

    /** Image file name to image bytes, in a stable order. */
    static Map<String, byte[]> all() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        img(m, "reg-files.img", ImageType.REG_FILES,
                e("id: 1 flags: 0x8402 pos: 17 " + FOWN + " name: \"/var/log/app.log\" mnt_id: -1 size: 4096 mode: 33188"),
                e("id: 2 flags: 0x80000 pos: 0 " + FOWN + " name: \"/tmp/\\303\\274n\\303\\257 \\\"q\\\"\\tx\" mnt_id: 80 build_id: 1 build_id: 4294967295"),
                e("id: 3 flags: 0x10000003 pos: 18446744073709551615 fown { uid: 1000 euid: 1000 signum: 10 pid_type: 1 pid: 42 } name: \"/dev/null\" ext: true"));
        img(m, "inetsk.img", ImageType.INETSK,
                e("id: 15 ino: 117000 family: 2 type: 1 proto: 6 state: 1 src_port: 41234 dst_port: 6667 flags: 2050 backlog: 0 "
                        + "src_addr: 33577994 dst_addr: 16799754 " + FOWN + " " + SKOPTS + " ip_opts { freebind: true tos: 16 ttl: 64 } shutdown: WRITE"
                        + " tcp_opts { nodelay: true cork: false }"),
                e("id: 16 ino: 117001 family: 10 type: 1 proto: 6 state: 10 src_port: 8080 dst_port: 0 flags: 0 backlog: 4096 "
                        + "src_addr: 0 src_addr: 0 src_addr: 0 src_addr: 0 dst_addr: 0 dst_addr: 0 dst_addr: 0 dst_addr: 0 " + FOWN + " " + SKOPTS + " v6only: true"),
                e("id: 17 ino: 117002 family: 10 type: 1 proto: 6 state: 1 src_port: 443 dst_port: 50000 flags: 0 backlog: 0 "
                        + "src_addr: 3091267616 src_addr: 0 src_addr: 0 src_addr: 16777216 dst_addr: 0 dst_addr: 0 dst_addr: 4294901760 dst_addr: 16777226 "
                        + FOWN + " " + SKOPTS),
                e("id: 18 ino: 117003 family: 2 type: 2 proto: 17 state: 7 src_port: 53 dst_port: 0 flags: 0 backlog: 0 src_addr: 16777343 "
                        + FOWN + " " + SKOPTS + " ifname: \"eth0\" ns_id: 3"),
                e("id: 19 ino: 117004 family: 3 type: 4 proto: 99 state: 12 src_port: 0 dst_port: 0 flags: 0 backlog: 0 " + FOWN + " " + SKOPTS));
        img(m, "unixsk.img", ImageType.UNIXSK,
                e("id: 20 ino: 120001 type: 1 state: 10 flags: 0 uflags: 0 backlog: 128 peer: 0 " + FOWN + " " + SKOPTS
                        + " name: \"/run/app.sock\" file_perms { mode: 49645 uid: 0 gid: 0 } name_dir: \"/run\" mnt_id: 80"),
                e("id: 21 ino: 120002 type: 2 state: 7 flags: 2048 uflags: 1 backlog: 0 peer: 120003 " + FOWN + " " + SKOPTS
                        + " name: \"\\000abstract=name with space \" shutdown: BOTH deleted: true"),
                e("id: 22 ino: 120003 type: 5 state: 1 flags: 0 uflags: 0 backlog: 0 peer: 120002 " + FOWN + " " + SKOPTS + " name: \"\""),
                e("id: 23 ino: 120004 type: 1 state: 1 flags: 0 uflags: 0 backlog: 0 peer: 0 " + FOWN + " " + SKOPTS
                        + " name: \"/very/long/socket/path/that/goes/on/and/on/beyond/seventy/six/characters/so/quopri/must/wrap/it.sock\\377\""));
        img(m, "pipes.img", ImageType.PIPES,
                e("id: 5 pipe_id: 116855 flags: 2048 " + FOWN), e("id: 6 pipe_id: 116855 flags: 1 " + FOWN));
        img(m, "pipes-data.img", ImageType.PIPES_DATA,
                e("pipe_id: 116855 bytes: 6 size: 65536", "hello\n".getBytes(StandardCharsets.US_ASCII)),
                e("pipe_id: 116856 bytes: 100", ramp(100)),
                e("pipe_id: 116857 bytes: 0", new byte[0]));
        img(m, "fifo.img", ImageType.FIFO, e("id: 7 pipe_id: 200 regf_id: 8"));
        img(m, "fifo-data.img", ImageType.FIFO_DATA, e("pipe_id: 200 bytes: 3", new byte[] {0, (byte) 0xff, 10}));
        img(m, "netdev-10.img", ImageType.NETDEV,
                e("type: LOOPBACK ifindex: 1 mtu: 65536 flags: 73 name: \"lo\" conf4 { type: CTL_32 iarg: 0 } conf4 { type: CTL_STR sarg: \"x\" }"),
                e("type: VETH ifindex: 2 mtu: 1500 flags: 69699 name: \"eth0\" address: \"\\n\\262\\000X\\000\\002\" peer_ifindex: 7 peer_nsid: 0 conf: -1 conf: 1 master: 0"),
                e("type: TUN ifindex: 3 mtu: 1500 flags: 4241 name: \"tun0\" tun { flags: 4097 owner: -1 group: -1 vnethdr: 10 sndbuf: 2147483647 }"));
        img(m, "tty.img", ImageType.TTY_FILES, e("id: 30 tty_info_id: 31 flags: 32770 " + FOWN + " regf_id: 9"));
        img(m, "tty-info.img", ImageType.TTY_INFO,
                e("id: 31 type: PTY locked: false exclusive: false packet_mode: true sid: 1 pgrp: 1 rdev: 34816 termios { c_iflag: 17664 c_oflag: 5 c_cflag: 191 c_lflag: 35387 c_line: 0 c_ispeed: 15 c_ospeed: 15 c_cc: 3 c_cc: 28 } "
                        + "winsize { ws_row: 24 ws_col: 80 ws_xpixel: 0 ws_ypixel: 0 } pty { index: 0 } dev: 136 uid: 0 gid: 5"));
        img(m, "tty-data.img", ImageType.TTY_DATA, e("tty_id: 31 data: \"ls -la\\r\\n\""));
        img(m, "creds-1.img", ImageType.CREDS,
                e("uid: 0 gid: 0 euid: 0 egid: 0 suid: 0 sgid: 0 fsuid: 0 fsgid: 0 cap_inh: 0 cap_inh: 0 cap_prm: 4294967295 cap_prm: 511 "
                        + "cap_eff: 4294967295 cap_eff: 511 cap_bnd: 2818844155 cap_bnd: 0 secbits: 0 groups: 0 groups: 1 groups: 2 lsm_profile: \"unconfined\" "
                        + "apparmor_data: \"\\001\\002\" no_new_privs: 1 cap_amb: 0"));
        img(m, "sigacts-1.img", ImageType.SIGACT,
                e("sigaction: 0 flags: 0 restorer: 0 mask: 0"),
                e("sigaction: 94649932304384 flags: 335544320 restorer: 140694492708864 mask: 65536 compat_sigaction: false mask_extended: 0"));
        img(m, "itimers-1.img", ImageType.ITIMERS, e("isec: 1 iusec: 500000 vsec: 0 vusec: 250"));
        img(m, "posix-timers-1.img", ImageType.POSIX_TIMERS,
                e("it_id: 0 clock_id: 1 si_signo: 14 it_sigev_notify: 0 sival_ptr: 140694492708864 overrun: 0 isec: 5 insec: 0 vsec: 1 vnsec: 999999999 notify_thread_id: -1"));
        img(m, "rlimit-1.img", ImageType.RLIMIT,
                e("cur: 18446744073709551615 max: 18446744073709551615"), e("cur: 8388608 max: 18446744073709551615"), e("cur: 1048576 max: 1048576"));
        img(m, "eventfd.img", ImageType.EVENTFD_FILE, e("id: 40 flags: 2050 " + FOWN + " counter: 18446744073709551614"));
        img(m, "eventpoll.img", ImageType.EVENTPOLL_FILE,
                e("id: 41 flags: 2 " + FOWN + " tfd { id: 41 tfd: 5 events: 2147483673 data: 42 dev: 8 inode: 1234 pos: 0 }"));
        img(m, "eventpoll-tfd.img", ImageType.EVENTPOLL_TFD, e("id: 41 tfd: 6 events: 1 data: 18446744073709551615"));
        img(m, "signalfd.img", ImageType.SIGNALFD, e("id: 42 flags: 526336 " + FOWN + " sigmask: 81922"));
        img(m, "timerfd.img", ImageType.TIMERFD,
                e("id: 43 flags: 526336 " + FOWN + " clockid: 1 ticks: 3 settime_flags: 1 vsec: 10 vnsec: 500 isec: 60 insec: 0"));
        img(m, "inotify.img", ImageType.INOTIFY_FILE,
                e("id: 44 flags: 2048 " + FOWN + " wd { id: 44 i_ino: 131090 mask: 4095 ignored_mask: 0 s_dev: 2097153 wd: 1 " + FH + " }"));
        img(m, "inotify-wd.img", ImageType.INOTIFY_WD, e("id: 44 i_ino: 5 mask: 2 ignored_mask: 4 s_dev: 66306 wd: 2 " + FH));
        img(m, "fanotify.img", ImageType.FANOTIFY_FILE,
                e("id: 45 flags: 2 " + FOWN + " faflags: 64 evflags: 32768 mark { id: 45 type: MOUNT mflags: 1 mask: 8 ignored_mask: 0 s_dev: 0 me { mnt_id: 80 path: \"/\" } }"));
        img(m, "fanotify-mark.img", ImageType.FANOTIFY_MARK,
                e("id: 45 type: INODE mflags: 0 mask: 16 ignored_mask: 1 s_dev: 2097153 ie { i_ino: 77 " + FH + " }"));
        img(m, "bpfmap-file.img", ImageType.BPFMAP_FILE,
                e("id: 46 flags: 524290 pos: 0 " + FOWN + " map_type: 1 key_size: 4 value_size: 8 map_id: 9 max_entries: 16 map_flags: 0 memlock: 4096 frozen: false map_name: \"counts\" ifindex: 0 mnt_id: -1"));
        img(m, "bpfmap-data.img", ImageType.BPFMAP_DATA, e("map_id: 9 keys_bytes: 4 values_bytes: 8 count: 1", ramp(12)));
        img(m, "filelocks.img", ImageType.FILE_LOCKS,
                e("flag: 1 type: 1 pid: 25 fd: 3 start: 0 len: 0"), e("flag: 2 type: 0 pid: -1 fd: -1 start: -5 len: 9223372036854775807"));
        img(m, "ns-files.img", ImageType.NS_FILES, e("id: 47 ns_id: 10 ns_cflag: 1073741824 flags: 0"));
        img(m, "sk-queues.img", ImageType.SK_QUEUES,
                e("id_for: 21 length: 5 scm { type: 1 rights: 3 rights: 4 }", "PING\n".getBytes(StandardCharsets.US_ASCII)),
                e("id_for: 22 length: 64", ramp(64)));
        img(m, "packetsk.img", ImageType.PACKETSK,
                e("id: 48 type: 3 protocol: 768 flags: 2 ifindex: 2 " + FOWN + " " + SKOPTS
                        + " version: 0 reserve: 0 aux_data: false orig_dev: false vnet_hdr: false loss: false timestamp: 0 copy_thresh: 0 "
                        + "mclist { index: 2 type: 1 addr: \"\\001\\000^\\000\\000\\001\" } fanout: 4294967295"));
        img(m, "netlinksk.img", ImageType.NETLINK_SK,
                e("id: 49 ino: 9 protocol: 0 state: 0 flags: 0 portid: 25 groups: 1 dst_portid: 0 dst_group: 0 " + FOWN + " " + SKOPTS));
        img(m, "tunfile.img", ImageType.TUNFILE, e("id: 50 netdev: \"tun0\" detached: false ns_id: 10"));
        img(m, "ext-files.img", ImageType.EXT_FILES, e("id: 51 " + FOWN));
        img(m, "ghost-file-a.img", ImageType.GHOST_FILE,
                e("uid: 0 gid: 0 mode: 33261 dev: 2097153 ino: 1234 rdev: 0 atim { tv_sec: 1764390000 tv_usec: 1 } mtim { tv_sec: 1764390000 tv_usec: 2 } size: 70",
                        ramp(70)));
        m.put("ghost-file-b.img", ImageWriter.write(ImageType.GHOST_FILE, List.of(
                new ImageEntry(parse(GhostFile.ghost_file_entry.newBuilder(), "uid: 1 gid: 1 mode: 33188 dev: 64769 ino: 5 rdev: 34817 chunks: true size: 9000"), null),
                new ImageEntry(parse(GhostFile.ghost_chunk_entry.newBuilder(), "len: 3 off: 0"), "abc".getBytes(StandardCharsets.US_ASCII)),
                new ImageEntry(parse(GhostFile.ghost_chunk_entry.newBuilder(), "len: 4 off: 8192"), "wxyz".getBytes(StandardCharsets.US_ASCII)))));
        img(m, "memfd.img", ImageType.MEMFD_INODE,
                e("name: \"memfd:xmrig (deleted)\" uid: 0 gid: 0 size: 8192 shmid: 102 seals: 31 inode_id: 1 mode: 33279"),
                e("name: \"memfd:\" uid: 0 gid: 0 size: 0 shmid: 103 seals: 64 inode_id: 2"));
        img(m, "ipcns-shm-11.img", ImageType.IPCNS_SHM,
                e("desc { key: 1234 uid: 0 gid: 0 cuid: 0 cgid: 0 mode: 438 id: 32768 } size: 5 in_pagemaps: false", "shm!!".getBytes(StandardCharsets.US_ASCII)));
        img(m, "ipcns-sem-11.img", ImageType.IPCNS_SEM,
                e("desc { key: 99 uid: 0 gid: 0 cuid: 0 cgid: 0 mode: 384 id: 1 } nsems: 3", new byte[] {1, 0, 2, 0, (byte) 0xff, (byte) 0xff}));
        img(m, "ipcns-msg-11.img", ImageType.IPCNS_MSG,
                e("desc { key: 7 uid: 0 gid: 0 cuid: 0 cgid: 0 mode: 420 id: 2 } qbytes: 16384 qnum: 2",
                        msgQueue("mtype: 1 msize: 5", "hello", "mtype: 2 msize: 9", "12345678!")));
        img(m, "vmas-1.img", ImageType.VMAS,
                e("start: 4194304 end: 4198400 pgoff: 0 shmid: 1 prot: 5 flags: 2 status: 65 fd: -1"),
                e("start: 140737488216064 end: 140737488351232 pgoff: 0 shmid: 0 prot: 3 flags: 290 status: 2147614755 fd: -1 madv: 65536 fdflags: 1"));
        img(m, "userns-13.img", ImageType.USERNS,
                e("uid_map { first: 0 lower_first: 100000 count: 65536 } gid_map { first: 0 lower_first: 100000 count: 65536 }"));
        img(m, "pidns-14.img", ImageType.PIDNS, e("ext_key: \"extRootPidNS\""));
        img(m, "cpuinfo.img", ImageType.CPUINFO,
                e("x86_entry { vendor_id: AMD cpu_family: 25 model: 33 stepping: 0 capability_ver: 2 capability: 3086803967 capability: 0 model_id: \"AMD Ryzen\" xfeatures_mask: 743 xsave_size: 2440 xsave_size_max: 2440 }"));
        img(m, "apparmor.img", ImageType.APPARMOR,
                e("namespaces { name: \"root\" policies { name: \"docker-default\" blob: \"\\000\\001binary\" } namespaces { name: \"child\" } }"));
        img(m, "stats-dump", ImageType.STATS,
                e("dump { freezing_time: 12 frozen_time: 3456 memdump_time: 789 memwrite_time: 1011 pages_scanned: 5000 pages_skipped_parent: 0 pages_written: 1200 pages_lazy: 0 irmap_resolve: 0 }"));
        img(m, "irmap-cache.img", ImageType.IRMAP_CACHE, e("dev: 2049 inode: 131074 path: \"/etc/hosts\""));
        img(m, "autofs-5.img", ImageType.AUTOFS, e("fd: -1 pgrp: 1 timeout: 300 minproto: 3 maxproto: 5 mode: 1 uid: 0 gid: 0 read_fd: 4"));
        img(m, "tcp-stream-1a2b.img", ImageType.TCP_STREAM,
                e("inq_len: 4 inq_seq: 1000 outq_len: 70 outq_seq: 2000 opt_mask: 7 snd_wscale: 7 mss_clamp: 1460 rcv_wscale: 7 timestamp: 123 unsq_len: 0 snd_wl1: 1 snd_wnd: 65535 max_window: 65535 rcv_wnd: 65535 rcv_wup: 1",
                        concat("PONG".getBytes(StandardCharsets.US_ASCII), ramp(70))));
        img(m, "pagemap-99.img", ImageType.PAGEMAP,
                e("pages_id: 7"),
                e("vaddr: 4194304 compat_nr_pages: 3"),
                e("vaddr: 4206592 compat_nr_pages: 1 in_parent: true"),
                e("vaddr: 140737488216064 compat_nr_pages: 0 flags: 3 nr_pages: 33"),
                e("vaddr: 140737488351232 compat_nr_pages: 0 flags: 12 nr_pages: 1"));
        img(m, "remap-fpath.img", ImageType.REMAP_FPATH, e("orig_id: 3 remap_id: 2147483649 remap_type: GHOST"), e("orig_id: 4 remap_id: 5"));
        img(m, "core-3.img", ImageType.CORE,
                e("mtype: X86_64 tc { task_state: 3 exit_code: 0 personality: 0 flags: 4194560 blk_sigset: 0 comm: \"defunct\" } "
                        + "thread_core { futex_rla: 0 futex_rla_len: 24 sched_nice: 0 sched_policy: 0 sas { ss_sp: 0 ss_size: 0 ss_flags: 2 } "
                        + "pdeath_sig: 0 creds { uid: 0 gid: 0 euid: 0 egid: 0 suid: 0 sgid: 0 fsuid: 0 fsgid: 0 secbits: 0 cap_eff: 1 } blk_sigset: 65536 }"));
        img(m, "mountpoints-13.img", ImageType.MNTS,
                e("fstype: 2 mnt_id: 80 root_dev: 55 parent_mnt_id: 79 flags: 2097152 root: \"/\" mountpoint: \"/\" source: \"overlay\" options: \"lowerdir=/a\" shared_id: 0 master_id: 0 sb_flags: 1 ext_key: \"\""));
        img(m, "timerfd-empty.img", ImageType.TIMERFD);
        return m;
    }

    /** Images whose kind crit 4.2 has no handler for; stasis decodes them anyway. */
    static Map<String, byte[]> withoutCritHandler() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        img(m, "pidfd.img", ImageType.PIDFD, e("id: 52 ino: 1000 flags: 0 nspid: 25 " + FOWN));
        img(m, "signal-p-1.img", ImageType.SIGNAL, e("signals { siginfo: \"\\021\\000\\000\\000\" }"));
        img(m, "binfmt-misc.img", ImageType.BINFMT_MISC, e("name: \"qemu-arm\" enabled: true interpreter: \"/usr/bin/qemu-arm\" flags: \"F\" magic: \"7f454c46\" offset: 0"));
        return m;
    }

    record Spec(String text, byte[] extra) {}

    static Spec e(String text) {
        return new Spec(text, null);
    }

    static Spec e(String text, byte[] extra) {
        return new Spec(text, extra);
    }

    private static void img(Map<String, byte[]> m, String name, ImageType type, Spec... specs) {
        List<ImageEntry> entries = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            var parser = i == 0 ? type.firstParser() : type.followingParser();
            Message.Builder b = defaultInstance(parser).newBuilderForType();
            entries.add(new ImageEntry(parse(b, specs[i].text()), specs[i].extra()));
        }
        m.put(name, ImageWriter.write(type, entries));
    }

    private static Message defaultInstance(com.google.protobuf.Parser<? extends Message> parser) {
        try {
            return parser.parseFrom(new byte[0]).getDefaultInstanceForType();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return (Message) e.getUnfinishedMessage().getDefaultInstanceForType();
        }
    }

    static boolean REPORT;

    static Message parse(Message.Builder b, String text) {
        try {
            TextFormat.merge(text, b);
        } catch (TextFormat.ParseException e) {
            throw new IllegalArgumentException(b.getDescriptorForType().getName() + ": " + e.getMessage(), e);
        }
        if (REPORT && !b.isInitialized()) {
            System.err.println(b.getDescriptorForType().getName() + " missing " + b.findInitializationErrors());
            return b.buildPartial();
        }
        return b.build();
    }

    private static byte[] msgQueue(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i += 2) {
            byte[] pb = parse(IpcMsg.ipc_msg.newBuilder(), parts[i]).toByteArray();
            byte[] data = parts[i + 1].getBytes(StandardCharsets.US_ASCII);
            out.writeBytes(new byte[] {(byte) pb.length, 0, 0, 0});
            out.writeBytes(pb);
            out.writeBytes(data);
            out.writeBytes(new byte[(8 - data.length % 8) % 8]);
        }
        return out.toByteArray();
    }

    static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 3);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Writes the images to a directory, for running crit on them to refresh the expected output. */
    public static void main(String[] args) throws IOException {
        REPORT = true;
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : all().entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        for (Map.Entry<String, byte[]> e : withoutCritHandler().entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
    }
}
