package dev.stasis.capture.scap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes the bodies of metadata blocks (machine info, process, fd, interface and
 * user lists) following libscap's savefile reader; every read is bounds-checked
 * and reports the block's offset.
 */
final class MetadataParser {
    private static final int MAX_PATH = 1024;
    private final byte[] b;
    private final int limit;
    private final long blockOffset;
    private int pos;

    MetadataParser(byte[] body, int bodyLen, long blockOffset) {
        this.b = body;
        this.limit = bodyLen;
        this.blockOffset = blockOffset;
    }

    private ScapFormatException error(String what) {
        return new ScapFormatException(blockOffset, what);
    }

    private void need(int n) {
        if (n < 0 || pos + n > limit) {
            throw error("truncated block body (needed " + n + " bytes at body offset " + pos + ")");
        }
    }

    private int u8() { need(1); return b[pos++] & 0xFF; }
    private int u16() { need(2); int v = Le.u16(b, pos); pos += 2; return v; }
    private int i32() { need(4); int v = Le.i32(b, pos); pos += 4; return v; }
    private long i64() { need(8); long v = Le.u64(b, pos); pos += 8; return v; }
    private byte[] raw(int n) { need(n); byte[] v = Arrays.copyOfRange(b, pos, pos + n); pos += n; return v; }

    private String str(int n) {
        need(n);
        int end = pos;
        while (end < pos + n && b[end] != 0) {
            end++;
        }
        String s = new String(b, pos, end - pos, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private String lenString(int max, String what) {
        int len = u16();
        if (len > max) {
            throw error("invalid " + what + " length " + len);
        }
        return str(len);
    }

    private byte[] lenBytes(int max, String what) {
        int len = u16();
        if (len > max) {
            throw error("invalid " + what + " length " + len);
        }
        return raw(len);
    }

    MachineInfo machineInfo() {
        int cpus = i32();
        long mem = i64();
        long maxPid = i64();
        String host = str(128);
        long[] reserved = new long[4];
        for (int i = 0; i < 4 && pos + 8 <= limit; i++) {
            reserved[i] = i64();
        }
        return new MachineInfo(cpus, mem, maxPid, host, reserved);
    }

    List<ProcessEntry> processList(int v) {
        List<ProcessEntry> out = new ArrayList<>();
        while (limit - pos >= 4) {
            int start = pos;
            long subLen = 0;
            if (v >= 9) {
                subLen = i32() & 0xFFFFFFFFL;
                if (subLen < 4 || start + subLen > limit) {
                    throw error("process entry length " + subLen + " does not fit the block");
                }
            }
            long tid = i64();
            long pid = i64();
            long ptid = i64();
            long sid = v >= 6 ? i64() : -1;
            long vpgid = v >= 8 ? i64() : -1;
            String comm = lenString(MAX_PATH, "comm");
            String exe = lenString(MAX_PATH, "exe");
            String exepath = v >= 7 ? lenString(MAX_PATH, "exepath") : "";
            byte[] args = lenBytes(65535, "args");
            String cwd = lenString(MAX_PATH, "cwd");
            long fdlimit = i64();
            int flags = i32();
            int uid = i32();
            int gid = i32();
            int vmsize = 0, vmrss = 0, vmswap = 0;
            long pfmaj = 0, pfmin = 0;
            byte[] env = new byte[0];
            long vtid = -1, vpid = -1;
            byte[] cgroups = new byte[0];
            String root = "";
            if (v >= 2) {
                vmsize = i32();
                vmrss = i32();
                vmswap = i32();
                pfmaj = i64();
                pfmin = i64();
                if (v >= 3) {
                    env = lenBytes(65535, "env");
                }
                if (v >= 4) {
                    vtid = i64();
                    vpid = i64();
                    cgroups = lenBytes(65535, "cgroups");
                    if (v >= 5) {
                        root = lenString(MAX_PATH, "root");
                    }
                }
            }
            int loginuid = -1;
            boolean exeWritable = false;
            int tty = 0;
            long capInh = 0, capPrm = 0, capEff = 0;
            // libs 0.10 inserted pidns_init_start_ts (8) and tty (4) before loginuid;
            // libscap tells the layouts apart by what is left: at most 29 bytes
            // (loginuid, exe_writable, three capability sets) means the older one.
            if (subLen > 0 && subLen - (pos - start) > 29) {
                if (pos - start + 8 <= subLen) {
                    i64(); // pidns_init_start_ts
                }
                if (pos - start + 4 <= subLen) {
                    tty = i32();
                }
            }
            if (subLen > 0 && pos - start + 4 <= subLen) {
                loginuid = i32();
            }
            if (subLen > 0 && pos - start + 1 <= subLen) {
                exeWritable = u8() != 0;
            }
            if (subLen > 0 && pos - start + 8 <= subLen) {
                capInh = i64();
            }
            if (subLen > 0 && pos - start + 8 <= subLen) {
                capPrm = i64();
            }
            if (subLen > 0 && pos - start + 8 <= subLen) {
                capEff = i64();
            }
            if (subLen > 0) {
                if (pos - start > subLen) {
                    throw error("process entry longer than its length " + subLen);
                }
                pos = start + (int) subLen; // fields added by newer writers are skipped
            }
            out.add(new ProcessEntry(tid, pid, ptid, sid, vpgid, comm, exe, exepath, args, cwd, fdlimit, flags, uid,
                    gid, vmsize, vmrss, vmswap, pfmaj, pfmin, env, vtid, vpid, cgroups, root, loginuid, exeWritable, tty,
                    capInh, capPrm, capEff));
        }
        return out;
    }

    List<FdEntry> fdList(boolean v2) {
        List<FdEntry> out = new ArrayList<>();
        long tid = i64();
        while (limit - pos >= 4) {
            int start = pos;
            long subLen = 0;
            if (v2) {
                subLen = i32() & 0xFFFFFFFFL;
                if (subLen < 4 || start + subLen > limit) {
                    throw error("fd entry length " + subLen + " does not fit the block");
                }
            }
            long fd = i64();
            long ino = i64();
            int typeCode = u8();
            FdKind kind = FdKind.of(typeCode);
            if (kind == null || kind == FdKind.UNKNOWN) {
                throw error("fd " + fd + " of thread " + tid + " has unknown fd type " + typeCode);
            }
            byte[] sip = new byte[0], dip = new byte[0];
            int sport = 0, dport = 0, l4 = 0, flags = 0, dev = 0;
            long usrc = 0, udst = 0;
            String name = "";
            switch (kind) {
                case IPV4_SOCK -> {
                    sip = raw(4); dip = raw(4); sport = u16(); dport = u16(); l4 = u8();
                }
                case IPV4_SERVSOCK -> {
                    sip = raw(4); sport = u16(); l4 = u8();
                }
                case IPV6_SOCK -> {
                    sip = raw(16); dip = raw(16); sport = u16(); dport = u16(); l4 = u8();
                }
                case IPV6_SERVSOCK -> {
                    sip = raw(16); sport = u16(); l4 = u8();
                }
                case UNIX_SOCK -> {
                    usrc = i64(); udst = i64(); name = lenString(MAX_PATH - 1, "unix socket name");
                }
                case FILE_V2 -> {
                    flags = i32();
                    name = lenString(MAX_PATH - 1, "file name");
                    if (subLen > 0 && pos - start + 4 <= subLen) {
                        dev = i32();
                    }
                }
                default -> name = lenString(MAX_PATH - 1, "fd name");
            }
            if (subLen > 0) {
                if (pos - start > subLen) {
                    throw error("fd entry longer than its length " + subLen);
                }
                pos = start + (int) subLen;
            }
            out.add(new FdEntry(tid, fd, ino, kind, sip, dip, sport, dport, l4, usrc, udst, name, flags, dev));
        }
        return out;
    }

    List<InterfaceEntry> interfaceList(boolean v2) {
        List<InterfaceEntry> out = new ArrayList<>();
        while (limit - pos >= 4) {
            int entryEnd = -1;
            if (v2) {
                long size = i32() & 0xFFFFFFFFL;
                if (pos + size > limit) {
                    throw error("interface entry length " + size + " does not fit the block");
                }
                entryEnd = pos + (int) size;
            }
            int type = u16();
            int nameLen = u16();
            if (nameLen >= MAX_PATH) {
                throw error("invalid interface name length " + nameLen);
            }
            int alen = switch (type) {
                case 1, 3 -> 4;
                case 2, 4 -> 16;
                default -> throw error("unknown interface type " + type);
            };
            byte[] addr = raw(alen), mask = raw(alen), bcast = raw(alen);
            long speed = (type == 1 || type == 2) ? i64() : 0;
            String name = str(nameLen);
            if (entryEnd >= 0) {
                if (pos > entryEnd) {
                    throw error("interface entry longer than its length");
                }
                pos = entryEnd;
            }
            out.add(new InterfaceEntry(type, name, addr, mask, bcast, speed));
        }
        return out;
    }

    void userList(boolean v2, List<UserEntry> users, List<GroupEntry> groups) {
        while (limit - pos >= 4) {
            int start = pos;
            long subLen = 0;
            if (v2) {
                subLen = i32() & 0xFFFFFFFFL;
                if (subLen < 4 || start + subLen > limit) {
                    throw error("user entry length " + subLen + " does not fit the block");
                }
            }
            int type = u8();
            if (type == 0) {
                int uid = i32();
                int gid = i32();
                String name = lenString(255, "user name");
                String home = lenString(255, "home directory");
                String shell = lenString(255, "shell");
                users.add(new UserEntry(uid, gid, name, home, shell));
            } else {
                int gid = i32();
                String name = lenString(255, "group name");
                groups.add(new GroupEntry(gid, name));
            }
            if (subLen > 0) {
                if (pos - start > subLen) {
                    throw error("user entry longer than its length " + subLen);
                }
                pos = start + (int) subLen;
            }
        }
    }
}
