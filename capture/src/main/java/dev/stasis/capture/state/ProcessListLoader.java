package dev.stasis.capture.state;

import dev.stasis.capture.scap.FdEntry;
import dev.stasis.capture.scap.FdKind;
import dev.stasis.capture.scap.ProcessEntry;
import dev.stasis.capture.scap.ScapReader;

/**
 * The state before the first event: machine, users, interfaces, the process list (threads and
 * their containers) and the fd list, with the direction of the sockets fixed as libsinsp's
 * fix_sockets_coming_from_proc does.
 */
final class ProcessListLoader {
    private final CaptureState state;
    private final ContainerResolver containers;

    ProcessListLoader(CaptureState state, ContainerResolver containers) {
        this.state = state;
        this.containers = containers;
    }

    /** Loads the metadata the reader found before the first event. */
    void load(ScapReader r) {
        state.setMachine(r.machine());
        state.setUsers(r.users(), r.groups());
        state.setInterfaces(r.interfaces());
        for (ProcessEntry p : r.processes()) {
            addProcess(p);
        }
        java.util.Set<Integer> serverPorts = new java.util.HashSet<>();
        for (FdEntry f : r.fds()) {
            ThreadInfo t = state.thread(f.tid());
            if (t != null) {
                FdInfo fi = fromEntry(f);
                t.fds.put(f.fd(), fi);
                if (fi.isServerSocket()) {
                    serverPorts.add(fi.sport);
                }
            }
        }
        // sysdig's fix_sockets_coming_from_proc: a connection on a port some process
        // listens on is the server side; swap it so that the client comes first
        for (ThreadInfo t : state.threads()) {
            for (FdInfo fi : t.fds.values()) {
                if (fi.kind == FdKind.IPV4_SOCK) {
                    if (serverPorts.contains(fi.sport)) {
                        SocketTuples.swap(fi);
                        fi.name = fi.socketName();
                        fi.role = FdInfo.Role.SERVER;
                    } else {
                        fi.role = FdInfo.Role.CLIENT;
                    }
                }
            }
        }
    }

    private void addProcess(ProcessEntry p) {
        ThreadInfo t = new ThreadInfo(state, p.tid());
        t.pid = p.pid();
        t.ptid = p.ptid();
        t.sid = p.sid();
        t.vpgid = p.vpgid();
        t.comm = p.comm();
        t.exe = p.exe();
        t.exepath = p.exepath();
        t.args = NulSeparated.split(p.args(), p.args().length);
        t.env = NulSeparated.split(p.env(), p.env().length);
        t.cgroups = NulSeparated.split(p.cgroups(), p.cgroups().length);
        // libsinsp's set_cwd: a directory always ends in '/' (sysdig prints /home/user/)
        t.cwd = p.cwd().endsWith("/") ? p.cwd() : p.cwd() + "/";
        t.root = p.root();
        t.fdlimit = p.fdlimit();
        t.flags = p.flags();
        t.uid = p.uid();
        t.gid = p.gid();
        t.loginuid = p.loginuid();
        t.exeWritable = p.exeWritable();
        t.tty = p.tty();
        t.capInheritable = p.capInheritable();
        t.capPermitted = p.capPermitted();
        t.capEffective = p.capEffective();
        t.vtid = p.vtid();
        t.vpid = p.vpid();
        t.vmsizeKb = p.vmsizeKb();
        t.vmrssKb = p.vmrssKb();
        t.vmswapKb = p.vmswapKb();
        t.pfMajor = p.pfMajor();
        t.pfMinor = p.pfMinor();
        containers.resolve(t);
        state.add(t);
    }

    static FdInfo fromEntry(FdEntry f) {
        FdKind kind = f.kind() == FdKind.FILE_V2 ? FdKind.FILE_V2 : f.kind();
        FdInfo fi = new FdInfo(f.fd(), kind);
        fi.ino = f.ino();
        fi.openFlags = f.openFlags();
        fi.dev = f.dev();
        fi.sip = f.sip();
        fi.dip = f.dip();
        fi.sport = f.sport();
        fi.dport = f.dport();
        fi.l4proto = f.l4proto();
        fi.unixSource = f.unixSource();
        fi.unixDest = f.unixDest();
        fi.connected = (fi.kind == FdKind.IPV4_SOCK || fi.kind == FdKind.IPV6_SOCK) && fi.l4proto == FdInfo.L4_TCP;
        if (fi.kind == FdKind.IPV6_SOCK && Net.isIpv4Mapped(fi.sip, 0) && Net.isIpv4Mapped(fi.dip, 0)) {
            fi.kind = FdKind.IPV4_SOCK;
            fi.sip = java.util.Arrays.copyOfRange(fi.sip, 12, 16);
            fi.dip = java.util.Arrays.copyOfRange(fi.dip, 12, 16);
        }
        if (fi.isIp()) {
            fi.name = fi.socketName();
        } else if (fi.kind == FdKind.UNIX_SOCK) {
            fi.name = f.name();
            fi.role = fi.name.isEmpty() ? FdInfo.Role.CLIENT : FdInfo.Role.SERVER;
        } else {
            fi.name = f.name();
        }
        return fi;
    }
}
