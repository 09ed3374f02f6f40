package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.archive.SeekableContent;
import dev.stasis.checkpoint.criu.CriuImage;
import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.PagemapImage;
import dev.stasis.checkpoint.criu.images.Core;
import dev.stasis.checkpoint.criu.images.Creds;
import dev.stasis.checkpoint.criu.images.Fdinfo;
import dev.stasis.checkpoint.criu.images.Fs;
import dev.stasis.checkpoint.criu.images.Mm;
import dev.stasis.checkpoint.criu.images.Pstree;
import dev.stasis.checkpoint.criu.images.Utsns;
import dev.stasis.checkpoint.model.Arguments;
import dev.stasis.checkpoint.model.Credentials;
import dev.stasis.checkpoint.model.Namespaces;
import dev.stasis.checkpoint.model.OpenFile;
import dev.stasis.checkpoint.model.ProcessInfo;
import dev.stasis.checkpoint.model.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds {@link ProcessInfo}s from the images: pstree, core (state, comm, creds), ids, fs, fdinfo
 * + files, mm (+ pagemap and pages for cmdline and environment). Dead and zombie tasks have
 * no ids, mm or fdinfo images: they get what core says and nothing else, never an error.
 */
public final class ProcessLoader {
    /** Argument and environment areas larger than this are cut (a hostile mm could claim gigabytes). */
    static final int MAX_AREA = 1 << 20;

    private final CheckpointArchive archive;
    private final CheckpointImages images;
    private final List<String> warnings;
    private FileTable files;

    ProcessLoader(CheckpointArchive archive, CheckpointImages images, List<String> warnings) {
        this.archive = archive;
        this.images = images;
        this.warnings = warnings;
    }

    public static List<ProcessInfo> load(CheckpointArchive archive, boolean readMemory, List<String> warnings) {
        return new ProcessLoader(archive, new CheckpointImages(archive.images(), warnings), warnings).load(readMemory);
    }

    List<ProcessInfo> load(boolean readMemory) {
        CriuImage pstree = images.required("pstree.img");
        files = new FileTable(images);
        List<ProcessInfo> out = new ArrayList<>();
        for (ImageEntry e : pstree.entries()) {
            if (e.message() instanceof Pstree.pstree_entry p) out.add(process(p, readMemory));
        }
        out.sort(Comparator.comparingInt(ProcessInfo::pid));
        return out;
    }

    FileTable files() {
        return files;
    }

    private ProcessInfo process(Pstree.pstree_entry p, boolean readMemory) {
        int pid = p.getPid();
        Optional<Core.core_entry> core = first(images.optional("core-" + pid + ".img"), Core.core_entry.class);
        TaskState state = core.filter(Core.core_entry::hasTc).map(c -> TaskState.of(c.getTc().getTaskState())).orElse(TaskState.UNKNOWN);
        String comm = core.map(c -> c.hasTc() ? c.getTc().getComm() : c.getThreadCore().getComm()).orElse("");
        Integer exitCode = state == TaskState.DEAD || state == TaskState.ZOMBIE ? core.map(c -> c.getTc().getExitCode()).orElse(null) : null;

        Optional<Core.task_kobj_ids_entry> ids = first(images.optional("ids-" + pid + ".img"), Core.task_kobj_ids_entry.class);
        if (ids.isEmpty()) ids = core.filter(Core.core_entry::hasIds).map(Core.core_entry::getIds);

        List<OpenFile> open = new ArrayList<>();
        if (ids.isPresent()) {
            images.optional("fdinfo-" + Integer.toUnsignedLong(ids.get().getFilesId()) + ".img").ifPresent(img -> {
                for (ImageEntry e : img.entries()) {
                    if (e.message() instanceof Fdinfo.fdinfo_entry fd) {
                        open.add(files.open(fd.getFd(), Integer.toUnsignedLong(fd.getId()), fd.getType()));
                    }
                }
            });
        }
        open.sort(Comparator.comparingInt(OpenFile::fd));

        String cwd = null, root = null;
        Optional<Fs.fs_entry> fs = first(images.optional("fs-" + pid + ".img"), Fs.fs_entry.class);
        if (fs.isPresent()) {
            cwd = files.regularPath(Integer.toUnsignedLong(fs.get().getCwdId()));
            root = files.regularPath(Integer.toUnsignedLong(fs.get().getRootId()));
        }

        Optional<Mm.mm_entry> mm = first(images.optional("mm-" + pid + ".img"), Mm.mm_entry.class);
        String exe = null;
        boolean exeDeleted = false, exeMemfd = false;
        if (mm.isPresent()) {
            long exeId = Integer.toUnsignedLong(mm.get().getExeFileId());
            exe = files.regularPath(exeId);
            Fdinfo.file_entry f = files.file(exeId);
            exeMemfd = f != null && f.hasMemfd();
            exeDeleted = exe != null && exe.endsWith(" (deleted)");
        }

        Arguments cmdline = Arguments.none(state == TaskState.ALIVE || state == TaskState.STOPPED ? "not read" : "no memory (" + state.display().toLowerCase() + " task)");
        Arguments env = cmdline;
        if (readMemory && mm.isPresent()) {
            Arguments[] both = readArgsAndEnv(pid, mm.get());
            cmdline = both[0];
            env = both[1];
        }

        Credentials creds = core.filter(Core.core_entry::hasThreadCore).map(c -> credentials(c)).orElse(null);
        Namespaces ns = ids.map(this::namespaces).orElse(null);
        List<Integer> threads = p.getThreadsList().isEmpty() ? List.of(pid) : p.getThreadsList();
        return new ProcessInfo(pid, p.getPpid(), p.getPgid(), p.getSid(), threads, comm, state, exitCode, cmdline, env,
                exe, exeDeleted, exeMemfd, cwd, root, creds, ns, open);
    }

    private Arguments[] readArgsAndEnv(int pid, Mm.mm_entry mm) {
        Optional<CriuImage> pagemap = images.optional("pagemap-" + pid + ".img");
        if (pagemap.isEmpty()) {
            Arguments none = Arguments.none("no pagemap-" + pid + ".img");
            return new Arguments[] {none, none};
        }
        try {
            PagemapImage map = PagemapImage.read(pagemap.get());
            int pagesId = map.pagesId();
            String pagesName = "checkpoint/pages-" + pagesId + ".img";
            SeekableContent pages = archive.has(pagesName) ? archive.content(pagesName) : null;
            if (pages == null) {
                Arguments none = Arguments.none("no pages-" + pagesId + ".img");
                return new Arguments[] {none, none};
            }
            MemoryAreaReader reader = new MemoryAreaReader(MemoryAreaReader.runs(map), pages);
            return new Arguments[] {
                commandLine(reader, mm.getMmArgStart(), mm.getMmArgEnd()),
                area(reader, mm.getMmEnvStart(), mm.getMmEnvEnd())
            };
        } catch (IOException | RuntimeException e) {
            warnings.add("memory of pid " + pid + ": " + e.getMessage());
            Arguments none = Arguments.none("unreadable: " + e.getMessage());
            return new Arguments[] {none, none};
        }
    }

    /**
     * The command line as Linux's /proc/PID/cmdline shows it. When the NUL that
     * ends the argument area has been overwritten, the process rewrote its title
     * (setproctitle, perl's {@code $0} with a longer name): the kernel then
     * returns one string from arg_start up to the first NUL, within a page, even
     * where it runs on into the environment area. Anything else is the area as found.
     */
    private static Arguments commandLine(MemoryAreaReader reader, long start, long end) throws IOException {
        Arguments found = area(reader, start, end);
        if (start == 0 || end <= start) return found;
        boolean[] missing = {false};
        byte[] last = reader.read(end - 1, end, 1, missing);
        if (missing[0] || last.length != 1 || last[0] == 0) return found;
        byte[] title = reader.read(start, start + PAGE_SIZE, PAGE_SIZE, missing);
        int len = 0;
        while (len < title.length && title[len] != 0) len++;
        String s = new String(title, 0, len, StandardCharsets.UTF_8);
        if (s.isBlank()) return found;
        return new Arguments(List.of(s), Arguments.Source.MEMORY,
                "the process rewrote its title past the argument area; shown as /proc/PID/cmdline would");
    }

    private static final int PAGE_SIZE = 4096;

    private static Arguments area(MemoryAreaReader reader, long start, long end) throws IOException {
        if (start == 0 || end <= start) return Arguments.none("empty area");
        boolean[] missing = {false};
        byte[] bytes = reader.read(start, end, MAX_AREA, missing);
        List<String> entries = split(bytes);
        String note = missing[0] ? "some pages of the area are not in the checkpoint"
                : entries.isEmpty() ? "the area is blank: the process overwrote it (e.g. perl's $0)" : null;
        return new Arguments(entries, Arguments.Source.MEMORY, note);
    }

    /**
     * NUL-separated strings; empty and all-blank strings (the padding a {@code $0} rewrite leaves)
     * are dropped, the rest kept exactly as found.
     */
    static List<String> split(byte[] bytes) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == 0) {
                if (i > from) {
                    String s = new String(bytes, from, i - from, StandardCharsets.UTF_8);
                    if (!s.isBlank()) out.add(s);
                }
                from = i + 1;
            }
        }
        return out;
    }

    private static Credentials credentials(Core.core_entry core) {
        Core.thread_core_entry tc = core.getThreadCore();
        int seccomp = tc.hasSeccompMode() ? tc.getSeccompMode().getNumber()
                : core.hasTc() && core.getTc().hasOldSeccompMode() ? core.getTc().getOldSeccompMode().getNumber() : 0;
        if (!tc.hasCreds()) {
            return new Credentials(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), seccomp, false, 0, null);
        }
        Creds.creds_entry c = tc.getCreds();
        return new Credentials(
                List.of(u(c.getUid()), u(c.getEuid()), u(c.getSuid()), u(c.getFsuid())),
                List.of(u(c.getGid()), u(c.getEgid()), u(c.getSgid()), u(c.getFsgid())),
                c.getGroupsList().stream().map(ProcessLoader::u).toList(),
                Capabilities.names(c.getCapInhList()),
                Capabilities.names(c.getCapPrmList()),
                Capabilities.names(c.getCapEffList()),
                Capabilities.names(c.getCapBndList()),
                Capabilities.names(c.getCapAmbList()),
                seccomp,
                c.getNoNewPrivs() != 0,
                u(c.getSecbits()),
                c.hasLsmProfile() ? c.getLsmProfile() : null);
    }

    private Namespaces namespaces(Core.task_kobj_ids_entry ids) {
        String hostname = null, domain = null;
        if (ids.hasUtsNsId()) {
            Optional<Utsns.utsns_entry> uts = first(images.optional("utsns-" + Integer.toUnsignedLong(ids.getUtsNsId()) + ".img"), Utsns.utsns_entry.class);
            if (uts.isPresent()) {
                hostname = uts.get().getNodename();
                domain = uts.get().getDomainname();
            }
        }
        return new Namespaces(opt(ids.hasPidNsId(), ids.getPidNsId()), opt(ids.hasNetNsId(), ids.getNetNsId()),
                opt(ids.hasMntNsId(), ids.getMntNsId()), opt(ids.hasIpcNsId(), ids.getIpcNsId()),
                opt(ids.hasUtsNsId(), ids.getUtsNsId()), opt(ids.hasUserNsId(), ids.getUserNsId()),
                opt(ids.hasCgroupNsId(), ids.getCgroupNsId()), opt(ids.hasTimeNsId(), ids.getTimeNsId()), hostname, domain);
    }

    private static Long opt(boolean has, int v) {
        return has ? Integer.toUnsignedLong(v) : null;
    }

    private static long u(int v) {
        return Integer.toUnsignedLong(v);
    }

    private static <T> Optional<T> first(Optional<CriuImage> img, Class<T> type) {
        if (img.isEmpty() || img.get().entries().isEmpty()) return Optional.empty();
        Object m = img.get().entries().getFirst().message();
        return type.isInstance(m) ? Optional.of(type.cast(m)) : Optional.empty();
    }

    static CheckpointException missing(String what) {
        return new CheckpointException(what);
    }
}
