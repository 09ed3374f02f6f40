package dev.stasis.capture.state;

import dev.stasis.capture.scap.GroupEntry;
import dev.stasis.capture.scap.InterfaceEntry;
import dev.stasis.capture.scap.MachineInfo;
import dev.stasis.capture.scap.UserEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The system state sysdig keeps while reading a capture: the thread table (with
 * each process's fd table), users and groups, network interfaces, containers and
 * the machine. It starts from the capture's metadata blocks and is updated event by
 * event by the {@link StateEngine}.
 */
public final class CaptureState {
    private final LongMap<ThreadInfo> threads = new LongMap<>(256);
    private final Map<Integer, UserEntry> users = new HashMap<>();
    private final Map<Integer, GroupEntry> groups = new HashMap<>();
    private final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    private final List<InterfaceEntry> interfaces = new ArrayList<>();
    private MachineInfo machine;
    // Removals sysdig delays to the next event so that exit events still resolve.
    long tidToRemove = -1;
    long tidOfFdsToRemove = -1;
    final List<Long> fdsToRemove = new ArrayList<>();
    // Consecutive events mostly come from the same thread: remember the last lookup
    // (a hit or a miss) instead of boxing the tid and hashing it every time.
    private long cachedTid = Long.MIN_VALUE;
    private ThreadInfo cachedThread;
    // libsinsp's m_firstevent_ts: the first event read, hidden ones included, container JSON events not
    long firstEventTs;

    /** Timestamp of the first event read (container JSON events aside), 0 before it: evt.reltime's origin. */
    public long firstEventTs() {
        return firstEventTs;
    }

    /** The thread with this tid, or null. */
    public ThreadInfo thread(long tid) {
        if (tid == cachedTid) {
            return cachedThread;
        }
        ThreadInfo t = threads.get(tid);
        cachedTid = tid;
        cachedThread = t;
        return t;
    }

    /** The thread table (in no particular order). */
    public Collection<ThreadInfo> threads() {
        return Collections.unmodifiableCollection(threads.values());
    }

    public UserEntry user(int uid) {
        return users.get(uid);
    }

    public GroupEntry group(int gid) {
        return groups.get(gid);
    }

    public Collection<UserEntry> users() {
        return Collections.unmodifiableCollection(users.values());
    }

    public Collection<GroupEntry> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    public List<InterfaceEntry> interfaces() {
        return Collections.unmodifiableList(interfaces);
    }

    /** Container by short id, or null. */
    public ContainerInfo container(String id) {
        return containers.get(id);
    }

    public Collection<ContainerInfo> containers() {
        return Collections.unmodifiableCollection(containers.values());
    }

    public MachineInfo machine() {
        return machine;
    }

    // --- mutation, for the engine ---

    void setMachine(MachineInfo m) {
        machine = m;
    }

    void setUsers(List<UserEntry> us, List<GroupEntry> gs) {
        users.clear();
        groups.clear();
        for (UserEntry u : us) {
            users.putIfAbsent(u.uid(), u);
        }
        for (GroupEntry g : gs) {
            groups.putIfAbsent(g.gid(), g);
        }
    }

    void setInterfaces(List<InterfaceEntry> list) {
        interfaces.clear();
        interfaces.addAll(list);
    }

    /**
     * libsinsp's is_ipv4addr_in_local_machine for a thread in container {@code id}: a known
     * container's own IP if it has one, else any known container's IP (0.0.0.0 when unknown, so
     * an address still 0 matches). False when the container is not known: the host's interfaces decide.
     */
    public boolean containerAddressIsLocal(String id, byte[] ipv4) {
        ContainerInfo own = containers.get(id);
        if (own == null) {
            return false;
        }
        byte[] mine = Net.ipv4OrZero(own.ip());
        if (!java.util.Arrays.equals(mine, new byte[4])) {
            return java.util.Arrays.equals(mine, ipv4);
        }
        for (ContainerInfo c : containers.values()) {
            if (java.util.Arrays.equals(Net.ipv4OrZero(c.ip()), ipv4)) {
                return true;
            }
        }
        return false;
    }

    void putContainer(ContainerInfo c) {
        containers.put(c.id(), c);
    }

    ThreadInfo add(ThreadInfo t) {
        ThreadInfo old = threads.put(t.tid, t);
        if (old != null && old != t) {
            old.removed = true;
        }
        cachedTid = Long.MIN_VALUE;
        cachedThread = null;
        return t;
    }

    /** sysdig's get_thread_ref with query_os: an unknown thread is created with "<NA>" fields. */
    ThreadInfo getOrCreate(long tid) {
        ThreadInfo t = thread(tid);
        if (t == null) {
            t = add(new ThreadInfo(this, tid));
        }
        return t;
    }

    void remove(long tid) {
        ThreadInfo old = threads.remove(tid);
        if (old != null) {
            old.removed = true;
        }
        cachedTid = Long.MIN_VALUE;
        cachedThread = null;
    }

    boolean removalsPending() {
        return tidToRemove != -1 || !fdsToRemove.isEmpty();
    }

    /** Applies the removals scheduled by the previous event. */
    void flushRemovals() {
        if (!fdsToRemove.isEmpty()) {
            ThreadInfo t = threads.get(tidOfFdsToRemove);
            if (t != null) {
                LongMap<FdInfo> table = t.fdTable();
                for (Long fd : fdsToRemove) {
                    table.remove(fd);
                }
            }
            fdsToRemove.clear();
            tidOfFdsToRemove = -1;
        }
        if (tidToRemove != -1) {
            remove(tidToRemove);
            tidToRemove = -1;
        }
    }
}
