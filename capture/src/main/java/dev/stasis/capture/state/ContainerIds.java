package dev.stasis.capture.state;

import java.util.List;

/**
 * A thread's container from its cgroups, by libsinsp's container engines (falcosecurity/libs
 * e5c53d64, sysdig 0.29.3), tried in its order, each over every cgroup of the thread: podman,
 * docker, CRI (cri-o, containerd), LXC, libvirt-LXC, BPM. The runc-style engines look for a
 * 64-hex-digit id between a prefix and a suffix ({@code /docker-ID.scope}, a last path component
 * {@code /ID}) and report its first 12 digits. Not followed: mesos and rkt (they need the
 * process's environment or root) and rootless podman (libsinsp reads it from the /proc of the
 * machine that reads the capture).
 *
 * <p>One addition: podman under the cgroupfs manager ({@code /libpod_parent/libpod-ID}), which
 * sysdig 0.29.3 reads as host, is found (a documented deviation: a container stasis recorded).
 */
final class ContainerIds {
    private ContainerIds() {}

    /** A match: the id sysdig reports and the container type. */
    record Match(String id, String type) {
        /** Whether libsinsp records a container for it (not for CRI: it cannot ask the runtime). */
        boolean recorded() {
            return !type.equals("cri-o") && !type.equals("containerd");
        }

        /** The name libsinsp gives it: LXC, libvirt-LXC and BPM containers are named by their id. */
        String name() {
            return type.equals("lxc") || type.equals("libvirt-lxc") || type.equals("bpm") ? id : "";
        }
    }

    private static final Match HOST = new Match("", "");
    private static final int ID_LENGTH = 64;
    private static final int REPORTED_LENGTH = 12;

    private static final String[][] PODMAN = {{"/libpod-", ".scope"}, {"/libpod-", ""}};
    private static final String[][] DOCKER = {{"/", ""}, {"/docker-", ".scope"}};
    private static final String[][] CRI = {{"/", ""}, {"/crio-", ""}, {"/cri-containerd-", ".scope"},
        {"/crio-", ".scope"}, {":cri-containerd:", ""}};

    /** The 12-character container id, or "" for host processes. */
    static String fromCgroups(List<String> cgroups) {
        return match(cgroups).id();
    }

    static String type(List<String> cgroups) {
        return match(cgroups).type();
    }

    static Match match(List<String> cgroups) {
        // each cgroup's path once, not once per engine and layout: this runs for every thread of
        // the process list when a capture opens
        String[] paths = new String[cgroups.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = path(cgroups.get(i));
        }
        String id = runc(paths, PODMAN);
        if (id != null) {
            return new Match(id, "podman");
        }
        id = runc(paths, DOCKER);
        if (id != null) {
            return new Match(id, "docker");
        }
        // libsinsp's CRI engine sets the id even when it cannot ask the runtime (no socket, as when
        // reading a file), then lets the later engines try
        String cri = runc(paths, CRI);
        Match other = lxc(paths);
        if (other == null) {
            other = libvirtLxc(paths);
        }
        if (other == null) {
            other = bpm(paths);
        }
        if (other != null) {
            return other;
        }
        if (cri != null) {
            return new Match(cri, criType(cgroups));
        }
        return HOST;
    }

    private static String criType(List<String> cgroups) {
        for (String cg : cgroups) {
            if (cg.contains("crio")) {
                return "cri-o";
            }
        }
        return "containerd";
    }

    /** The cgroup path of "subsys=path" (libsinsp's set_cgroups splits at the last '='). */
    private static String path(String cgroup) {
        int eq = cgroup.lastIndexOf('=');
        return eq >= 0 ? cgroup.substring(eq + 1) : cgroup;
    }

    private static String runc(String[] paths, String[][] layouts) {
        // libsinsp's matches_runc_cgroups: each cgroup in turn, every layout on it
        for (String path : paths) {
            if (path.length() <= ID_LENGTH) {
                continue; // too short for a prefix and an id: no layout can match (most host cgroups)
            }
            for (String[] layout : layouts) {
                String id = matchOne(path, layout[0], layout[1]);
                if (id != null) {
                    return id;
                }
            }
        }
        return null;
    }

    /**
     * libsinsp's runc match_one_container_id: the last {@code prefix}, then the last {@code suffix}
     * (the end for ""), exactly 64 characters between them. Its hex check compares the position
     * of the first non-hex character (counted from the path's start) with 64, so it only rejects
     * when that character lies in the path's first 64 characters.
     */
    static String matchOne(String cgroup, String prefix, String suffix) {
        int start = cgroup.lastIndexOf(prefix);
        if (start < 0) {
            return null;
        }
        start += prefix.length();
        int end = suffix.isEmpty() ? cgroup.length() : cgroup.lastIndexOf(suffix);
        if (end < 0 || end - start != ID_LENGTH) {
            return null;
        }
        for (int i = start; i < cgroup.length() && i < ID_LENGTH; i++) {
            char ch = cgroup.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F')) {
                return null;
            }
        }
        return cgroup.substring(start, start + REPORTED_LENGTH);
    }

    private static final String[] LXC_MARKERS = {"/lxc/", "/lxc.payload/"};

    private static Match lxc(String[] paths) {
        for (String path : paths) {
            for (String marker : LXC_MARKERS) {
                int pos = path.indexOf(marker);
                if (pos >= 0) {
                    int start = pos + marker.length();
                    int end = path.indexOf('/', start);
                    return new Match(path.substring(start, end < 0 ? path.length() : end), "lxc");
                }
            }
        }
        return null;
    }

    private static Match libvirtLxc(String[] paths) {
        for (String path : paths) {
            int pos = path.indexOf(".libvirt-lxc");
            if (pos >= 0 && pos == path.length() - ".libvirt-lxc".length()) {
                int slash = path.lastIndexOf('/');
                if (slash >= 0 && slash < pos) {
                    return new Match(path.substring(slash + 1, pos), "libvirt-lxc");
                }
            }
            pos = path.indexOf("-lxc\\x2");
            if (pos >= 0) {
                int scope = path.indexOf(".scope");
                // libsinsp skips sizeof("-lxc\\x2") = 8 characters, one past the marker
                int start = pos + "-lxc\\x2".length() + 1;
                if (scope >= 0 && scope == path.length() - ".scope".length() && scope >= start) {
                    return new Match(path.substring(start, scope), "libvirt-lxc");
                }
            }
            pos = path.indexOf("/libvirt/lxc/");
            if (pos >= 0) {
                return new Match(path.substring(pos + "/libvirt/lxc/".length()), "libvirt-lxc");
            }
        }
        return null;
    }

    private static Match bpm(String[] paths) {
        for (String path : paths) {
            int pos = path.indexOf("bpm-");
            if (pos >= 0) {
                int start = pos + "bpm-".length();
                int end = path.indexOf(".scope", start);
                String id = path.substring(start, end < 0 ? path.length() : end);
                if (!id.isEmpty() && id.matches("[A-Za-z0-9._-]+")) {
                    return new Match(id, "bpm");
                }
            }
        }
        return null;
    }
}
