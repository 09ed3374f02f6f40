package dev.stasis.checkpoint.criu;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.stasis.checkpoint.criu.images.Apparmor;
import dev.stasis.checkpoint.criu.images.Autofs;
import dev.stasis.checkpoint.criu.images.BinfmtMisc;
import dev.stasis.checkpoint.criu.images.BpfmapData;
import dev.stasis.checkpoint.criu.images.BpfmapFile;
import dev.stasis.checkpoint.criu.images.Cgroup;
import dev.stasis.checkpoint.criu.images.Core;
import dev.stasis.checkpoint.criu.images.Cpuinfo;
import dev.stasis.checkpoint.criu.images.Creds;
import dev.stasis.checkpoint.criu.images.Eventfd;
import dev.stasis.checkpoint.criu.images.Eventpoll;
import dev.stasis.checkpoint.criu.images.ExtFile;
import dev.stasis.checkpoint.criu.images.Fdinfo;
import dev.stasis.checkpoint.criu.images.Fh;
import dev.stasis.checkpoint.criu.images.Fifo;
import dev.stasis.checkpoint.criu.images.FileLock;
import dev.stasis.checkpoint.criu.images.Fs;
import dev.stasis.checkpoint.criu.images.Fsnotify;
import dev.stasis.checkpoint.criu.images.GhostFile;
import dev.stasis.checkpoint.criu.images.Inventory;
import dev.stasis.checkpoint.criu.images.IpcMsg;
import dev.stasis.checkpoint.criu.images.IpcSem;
import dev.stasis.checkpoint.criu.images.IpcShm;
import dev.stasis.checkpoint.criu.images.IpcVar;
import dev.stasis.checkpoint.criu.images.Memfd;
import dev.stasis.checkpoint.criu.images.Mm;
import dev.stasis.checkpoint.criu.images.Mnt;
import dev.stasis.checkpoint.criu.images.Netdev;
import dev.stasis.checkpoint.criu.images.Ns;
import dev.stasis.checkpoint.criu.images.PacketSock;
import dev.stasis.checkpoint.criu.images.Pagemap;
import dev.stasis.checkpoint.criu.images.Pidfd;
import dev.stasis.checkpoint.criu.images.Pidns;
import dev.stasis.checkpoint.criu.images.Pipe;
import dev.stasis.checkpoint.criu.images.PipeData;
import dev.stasis.checkpoint.criu.images.Pstree;
import dev.stasis.checkpoint.criu.images.RemapFilePath;
import dev.stasis.checkpoint.criu.images.Rlimit;
import dev.stasis.checkpoint.criu.images.Sa;
import dev.stasis.checkpoint.criu.images.Seccomp;
import dev.stasis.checkpoint.criu.images.Siginfo;
import dev.stasis.checkpoint.criu.images.Signalfd;
import dev.stasis.checkpoint.criu.images.SkInet;
import dev.stasis.checkpoint.criu.images.SkNetlink;
import dev.stasis.checkpoint.criu.images.SkPacket;
import dev.stasis.checkpoint.criu.images.SkUnix;
import dev.stasis.checkpoint.criu.images.Stats;
import dev.stasis.checkpoint.criu.images.TcpStream;
import dev.stasis.checkpoint.criu.images.Timens;
import dev.stasis.checkpoint.criu.images.Timer;
import dev.stasis.checkpoint.criu.images.Timerfd;
import dev.stasis.checkpoint.criu.images.Tty;
import dev.stasis.checkpoint.criu.images.Tun;
import dev.stasis.checkpoint.criu.images.Userns;
import dev.stasis.checkpoint.criu.images.Utsns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every kind of CRIU image: the name crit prints as "magic", the magic number
 * from criu/include/magic.h, the file names criu gives it (criu/image-desc.c),
 * the protobuf message its entries hold and how extra bytes follow an entry.
 *
 * <p>Raw kinds (pages, tmpfs tarballs, ip tool dumps) carry no header and no
 * entries; they have magic 0 and no parser, and can only be found by name.
 */
public enum ImageType {
    INVENTORY(0x58313116, Payload.NONE, "inventory"),
    PSTREE(0x50273030, Payload.NONE, "pstree"),
    FDINFO(0x56213732, Payload.NONE, "fdinfo-%u"),
    /** pagemap-PID and pagemap-shmem-ID: a pagemap_head, then pagemap_entry items. */
    PAGEMAP(0x56084025, Payload.PAGEMAP, "pagemap-%u", "pagemap-shmem-%u"),
    CORE(0x55053847, Payload.NONE, "core-%u"),
    IDS(0x54432030, Payload.NONE, "ids-%u"),
    VMAS(0x54123737, Payload.NONE, "vmas-%u"),
    PIPES(0x56513555, Payload.NONE, "pipes"),
    PIPES_DATA(0x56453709, Payload.PIPE_BYTES, "pipes-data"),
    FIFO(0x58364939, Payload.NONE, "fifo"),
    FIFO_DATA(0x59333054, Payload.PIPE_BYTES, "fifo-data"),
    SIGACT(0x55344201, Payload.NONE, "sigacts-%u"),
    UNIXSK(0x54373943, Payload.NONE, "unixsk"),
    INETSK(0x56443851, Payload.NONE, "inetsk"),
    PACKETSK(0x60454618, Payload.NONE, "packetsk"),
    ITIMERS(0x57464056, Payload.NONE, "itimers-%u"),
    POSIX_TIMERS(0x52603957, Payload.NONE, "posix-timers-%u"),
    SK_QUEUES(0x56264026, Payload.SK_QUEUE_BYTES, "sk-queues"),
    UTSNS(0x54473203, Payload.NONE, "utsns-%u"),
    CREDS(0x54023547, Payload.NONE, "creds-%u"),
    IPC_VAR(0x53115007, Payload.NONE, "ipcns-var-%u"),
    IPCNS_SHM(0x46283044, Payload.IPC_SHM, "ipcns-shm-%u"),
    IPCNS_MSG(0x55453737, Payload.IPC_MSG, "ipcns-msg-%u"),
    IPCNS_SEM(0x59573019, Payload.IPC_SEM, "ipcns-sem-%u"),
    REG_FILES(0x50363636, Payload.NONE, "reg-files"),
    EXT_FILES(0x59255641, Payload.NONE, "ext-files"),
    FS(0x51403912, Payload.NONE, "fs-%u"),
    MM(0x57492820, Payload.NONE, "mm-%u"),
    REMAP_FPATH(0x59133954, Payload.NONE, "remap-fpath"),
    /** ghost-file-ID: a ghost_file_entry, then either the raw contents or ghost_chunk_entry items each followed by its bytes. */
    GHOST_FILE(0x52583605, Payload.GHOST, "ghost-file-%x"),
    TCP_STREAM(0x51465506, Payload.TCP_QUEUES, "tcp-stream-%x"),
    EVENTFD_FILE(0x44523722, Payload.NONE, "eventfd"),
    EVENTPOLL_FILE(0x45023858, Payload.NONE, "eventpoll"),
    EVENTPOLL_TFD(0x44433746, Payload.NONE, "eventpoll-tfd"),
    SIGNALFD(0x57323820, Payload.NONE, "signalfd"),
    INOTIFY_FILE(0x48424431, Payload.NONE, "inotify"),
    INOTIFY_WD(0x54562009, Payload.NONE, "inotify-wd"),
    MNTS(0x55563928, Payload.NONE, "mountpoints-%u"),
    NETDEV(0x57373951, Payload.NONE, "netdev-%u"),
    NETNS(0x55933752, Payload.NONE, "netns-%u"),
    TTY_FILES(0x59433025, Payload.NONE, "tty"),
    TTY_INFO(0x59453036, Payload.NONE, "tty-info"),
    TTY_DATA(0x59413026, Payload.NONE, "tty-data"),
    FILE_LOCKS(0x54323616, Payload.NONE, "filelocks"),
    RLIMIT(0x57113925, Payload.NONE, "rlimit-%u"),
    FANOTIFY_FILE(0x55096122, Payload.NONE, "fanotify"),
    FANOTIFY_MARK(0x56506035, Payload.NONE, "fanotify-mark"),
    /** signal-s-TID (shared) and signal-p-TID (private) queued signals; crit has no handler for these. */
    SIGNAL(0x59255647, Payload.NONE, "signal-s-%u", "signal-p-%u"),
    NETLINK_SK(0x58005614, Payload.NONE, "netlinksk"),
    NS_FILES(0x61394011, Payload.NONE, "ns-files"),
    TUNFILE(0x57143751, Payload.NONE, "tunfile"),
    CGROUP(0x59383330, Payload.NONE, "cgroup"),
    TIMERFD(0x50493712, Payload.NONE, "timerfd"),
    CPUINFO(0x61404013, Payload.NONE, "cpuinfo"),
    USERNS(0x55474906, Payload.NONE, "userns-%u"),
    SECCOMP(0x64413049, Payload.NONE, "seccomp"),
    /** crit has no handler for binfmt-misc images. */
    BINFMT_MISC(0x67343323, Payload.NONE, "binfmt-misc", "binfmt-misc-%u"),
    AUTOFS(0x49353943, Payload.NONE, "autofs-%u"),
    FILES(0x56303138, Payload.NONE, "files"),
    MEMFD_INODE(0x48453499, Payload.NONE, "memfd"),
    TIMENS(0x43114433, Payload.NONE, "timens-%u"),
    PIDNS(0x61157326, Payload.NONE, "pidns-%u"),
    BPFMAP_FILE(0x57506142, Payload.NONE, "bpfmap-file"),
    BPFMAP_DATA(0x64324033, Payload.BPFMAP_BYTES, "bpfmap-data"),
    APPARMOR(0x59423047, Payload.NONE, "apparmor"),
    /** crit has no handler for pidfd images. */
    PIDFD(0x54435556, Payload.NONE, "pidfd"),
    /** Service images: stats-dump, stats-restore (IMG_SERVICE header). */
    STATS(0x57093306, Payload.NONE, "stats-%s"),
    IRMAP_CACHE(0x57004059, Payload.NONE, "irmap-cache"),

    // Raw images: no header, no protobuf.
    PAGES(0, Payload.RAW, "pages-%u", "pages-shmem-%u"),
    TMPFS_IMG(0, Payload.RAW, "tmpfs-%u.tar.gz"),
    TMPFS_DEV(0, Payload.RAW, "tmpfs-dev-%u.tar.gz"),
    IFADDR(0, Payload.RAW, "ifaddr-%u"),
    ROUTE(0, Payload.RAW, "route-%u"),
    ROUTE6(0, Payload.RAW, "route6-%u"),
    RULE(0, Payload.RAW, "rule-%u"),
    IPTABLES(0, Payload.RAW, "iptables-%u"),
    IP6TABLES(0, Payload.RAW, "ip6tables-%u"),
    NFTABLES(0, Payload.RAW, "nftables-%u"),
    NETNF_CT(0, Payload.RAW, "netns-ct-%u"),
    NETNF_EXP(0, Payload.RAW, "netns-exp-%u");

    /** First word of every image but inventory (images v1.1). */
    public static final int IMG_COMMON_MAGIC = 0x54564319;
    /** First word of the service images (stats, irmap-cache). */
    public static final int IMG_SERVICE_MAGIC = 0x55105940;

    /**
     * How bytes that are not protobuf follow an entry; the lengths come from
     * fields of the entry (crit's extra handlers in lib/pycriu/images/images.py).
     */
    public enum Payload {
        /** Nothing follows an entry. */
        NONE,
        /** pipe_data_entry.bytes bytes of pipe contents. */
        PIPE_BYTES,
        /** sk_packet_entry.length bytes of a queued packet. */
        SK_QUEUE_BYTES,
        /** tcp_stream_entry.inq_len then outq_len bytes. */
        TCP_QUEUES,
        /** bpfmap_data_entry.keys_bytes + values_bytes bytes. */
        BPFMAP_BYTES,
        /** ipc_shm_entry.size bytes, padded to 4. */
        IPC_SHM,
        /** nsems u16 semaphore values, padded to 8. */
        IPC_SEM,
        /** qnum times: a length-prefixed ipc_msg, then msize bytes padded to 8. */
        IPC_MSG,
        /** First entry is a pagemap_head; no extra bytes. */
        PAGEMAP,
        /** ghost_file_entry, then raw contents or chunk entries each with its bytes. */
        GHOST,
        /** Not a protobuf image at all. */
        RAW
    }

    private static final Map<Integer, ImageType> BY_MAGIC = new HashMap<>();
    /** Every file name format, in enum order (the first that matches wins). */
    private static final List<Map.Entry<String, ImageType>> BY_NAME = new ArrayList<>();

    static {
        for (ImageType t : values()) {
            if (!t.isRaw()) BY_MAGIC.put(t.magic, t);
            for (String fmt : t.fileNames) BY_NAME.add(Map.entry(fmt, t));
        }
    }

    private final int magic;
    private final Payload payload;
    private final List<String> fileNames;
    /**
     * The entry parser, looked up on first use: naming a generated message class runs its
     * .proto file's static init, which builds that file's descriptors (and its imports').
     * Building all of them with this enum cost ~0.25 s of CPU before the first image was read
     * (without the JDK's AOT cache); a checkpoint uses a few of the 68 kinds (irc-bot's 47
     * images initialise 50 of the .proto files, imports included). A race only looks the same singleton up
     * twice (generated parser() returns a static final), so volatile is enough.
     */
    private volatile Parser<? extends Message> parser;

    ImageType(int magic, Payload payload, String... fileNames) {
        this.magic = magic;
        this.payload = payload;
        this.fileNames = List.of(fileNames);
    }

    /** The name crit prints in "magic" (magic.h's name without _MAGIC). */
    public String critName() {
        return name();
    }

    /** The image-type magic number (the second word after IMG_COMMON); 0 for raw images. */
    public int magic() {
        return magic;
    }

    /** Parser of the image's (main) entry message; null for raw images. */
    public Parser<? extends Message> parser() {
        Parser<? extends Message> p = parser;
        if (p == null && !isRaw()) parser = p = entryParser(this);
        return p;
    }

    /** The generated parser of each kind's entry message; only the kind asked for is loaded. */
    private static Parser<? extends Message> entryParser(ImageType type) {
        return switch (type) {
            case INVENTORY -> Inventory.inventory_entry.parser();
            case PSTREE -> Pstree.pstree_entry.parser();
            case FDINFO -> Fdinfo.fdinfo_entry.parser();
            case PAGEMAP -> Pagemap.pagemap_entry.parser();
            case CORE -> Core.core_entry.parser();
            case IDS -> Core.task_kobj_ids_entry.parser();
            case VMAS -> dev.stasis.checkpoint.criu.images.Vma.vma_entry.parser();
            case PIPES -> Pipe.pipe_entry.parser();
            case PIPES_DATA -> PipeData.pipe_data_entry.parser();
            case FIFO -> Fifo.fifo_entry.parser();
            case FIFO_DATA -> PipeData.pipe_data_entry.parser();
            case SIGACT -> Sa.sa_entry.parser();
            case UNIXSK -> SkUnix.unix_sk_entry.parser();
            case INETSK -> SkInet.inet_sk_entry.parser();
            case PACKETSK -> PacketSock.packet_sock_entry.parser();
            case ITIMERS -> Timer.itimer_entry.parser();
            case POSIX_TIMERS -> Timer.posix_timer_entry.parser();
            case SK_QUEUES -> SkPacket.sk_packet_entry.parser();
            case UTSNS -> Utsns.utsns_entry.parser();
            case CREDS -> Creds.creds_entry.parser();
            case IPC_VAR -> IpcVar.ipc_var_entry.parser();
            case IPCNS_SHM -> IpcShm.ipc_shm_entry.parser();
            case IPCNS_MSG -> IpcMsg.ipc_msg_entry.parser();
            case IPCNS_SEM -> IpcSem.ipc_sem_entry.parser();
            case REG_FILES -> dev.stasis.checkpoint.criu.images.Regfile.reg_file_entry.parser();
            case EXT_FILES -> ExtFile.ext_file_entry.parser();
            case FS -> Fs.fs_entry.parser();
            case MM -> Mm.mm_entry.parser();
            case REMAP_FPATH -> RemapFilePath.remap_file_path_entry.parser();
            case GHOST_FILE -> GhostFile.ghost_file_entry.parser();
            case TCP_STREAM -> TcpStream.tcp_stream_entry.parser();
            case EVENTFD_FILE -> Eventfd.eventfd_file_entry.parser();
            case EVENTPOLL_FILE -> Eventpoll.eventpoll_file_entry.parser();
            case EVENTPOLL_TFD -> Eventpoll.eventpoll_tfd_entry.parser();
            case SIGNALFD -> Signalfd.signalfd_entry.parser();
            case INOTIFY_FILE -> Fsnotify.inotify_file_entry.parser();
            case INOTIFY_WD -> Fsnotify.inotify_wd_entry.parser();
            case MNTS -> Mnt.mnt_entry.parser();
            case NETDEV -> Netdev.net_device_entry.parser();
            case NETNS -> Netdev.netns_entry.parser();
            case TTY_FILES -> Tty.tty_file_entry.parser();
            case TTY_INFO -> Tty.tty_info_entry.parser();
            case TTY_DATA -> Tty.tty_data_entry.parser();
            case FILE_LOCKS -> FileLock.file_lock_entry.parser();
            case RLIMIT -> Rlimit.rlimit_entry.parser();
            case FANOTIFY_FILE -> Fsnotify.fanotify_file_entry.parser();
            case FANOTIFY_MARK -> Fsnotify.fanotify_mark_entry.parser();
            case SIGNAL -> Siginfo.signal_queue_entry.parser();
            case NETLINK_SK -> SkNetlink.netlink_sk_entry.parser();
            case NS_FILES -> Ns.ns_file_entry.parser();
            case TUNFILE -> Tun.tunfile_entry.parser();
            case CGROUP -> Cgroup.cgroup_entry.parser();
            case TIMERFD -> Timerfd.timerfd_entry.parser();
            case CPUINFO -> Cpuinfo.cpuinfo_entry.parser();
            case USERNS -> Userns.userns_entry.parser();
            case SECCOMP -> Seccomp.seccomp_entry.parser();
            case BINFMT_MISC -> BinfmtMisc.binfmt_misc_entry.parser();
            case AUTOFS -> Autofs.autofs_entry.parser();
            case FILES -> Fdinfo.file_entry.parser();
            case MEMFD_INODE -> Memfd.memfd_inode_entry.parser();
            case TIMENS -> Timens.timens_entry.parser();
            case PIDNS -> Pidns.pidns_entry.parser();
            case BPFMAP_FILE -> BpfmapFile.bpfmap_file_entry.parser();
            case BPFMAP_DATA -> BpfmapData.bpfmap_data_entry.parser();
            case APPARMOR -> Apparmor.apparmor_entry.parser();
            case PIDFD -> Pidfd.pidfd_entry.parser();
            case STATS -> Stats.stats_entry.parser();
            case IRMAP_CACHE -> Fh.irmap_cache_entry.parser();
            default -> null; // raw kinds
        };
    }

    /** Parser of the entries after the first: pagemap_entry after the head, ghost_chunk_entry after a ghost file. */
    public Parser<? extends Message> followingParser() {
        return switch (payload) {
            case GHOST -> GhostFile.ghost_chunk_entry.parser();
            default -> parser();
        };
    }

    /** Parser of the first entry (pagemap_head for pagemaps). */
    public Parser<? extends Message> firstParser() {
        return payload == Payload.PAGEMAP ? Pagemap.pagemap_head.parser() : parser();
    }

    public Payload payload() {
        return payload;
    }

    /** criu's file name formats for this kind, printf-style (image-desc.c), without ".img". */
    public List<String> fileNames() {
        return fileNames;
    }

    public boolean isRaw() {
        return payload == Payload.RAW;
    }

    /** Service images start with IMG_SERVICE rather than IMG_COMMON. */
    public boolean isService() {
        return this == STATS || this == IRMAP_CACHE;
    }

    /** The image type with this magic number (the second header word); raw kinds are never found. */
    public static Optional<ImageType> byMagic(int magic) {
        return Optional.ofNullable(BY_MAGIC.get(magic));
    }

    /**
     * The image type criu gives a file of this name, e.g. "pagemap-shmem-102.img" -> PAGEMAP,
     * "pages-3.img" -> PAGES (raw). A leading directory is ignored.
     */
    public static Optional<ImageType> byFileName(String fileName) {
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        if (base.endsWith(".img")) base = base.substring(0, base.length() - 4);
        else if (!base.startsWith("stats-")) return Optional.empty();
        for (Map.Entry<String, ImageType> e : BY_NAME) {
            if (matches(e.getKey(), 0, base, 0)) return Optional.of(e.getValue());
        }
        return Optional.empty();
    }

    /**
     * Whether {@code name} from offset {@code ni} fits the printf-style format from {@code fi}:
     * %u a decimal (maybe negative), %x lower-case hex, %s anything non-empty, the rest literally;
     * tried shortest-last, as a regex would. Hand-written rather than ~80 regexes compiled at
     * class init, which a one-shot decode paid for at every start.
     */
    private static boolean matches(String fmt, int fi, String name, int ni) {
        if (fi == fmt.length()) return ni == name.length();
        char c = fmt.charAt(fi);
        if (c != '%' || fi + 1 == fmt.length()) {
            return ni < name.length() && name.charAt(ni) == c && matches(fmt, fi + 1, name, ni + 1);
        }
        char conv = fmt.charAt(fi + 1);
        int start = ni;
        if (conv == 'u' && start < name.length() && name.charAt(start) == '-') start++;
        int end = start;
        while (end < name.length() && fits(conv, name.charAt(end))) end++;
        for (int e = end; e > start; e--) {
            if (matches(fmt, fi + 2, name, e)) return true;
        }
        return false;
    }

    private static boolean fits(char conv, char c) {
        return switch (conv) {
            case 'u' -> c >= '0' && c <= '9';
            case 'x' -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
            default -> true; // %s
        };
    }
}
