package dev.stasis.capture.filter;

import static dev.stasis.capture.filter.FieldDef.ArgPolicy.NONE;
import static dev.stasis.capture.filter.FieldDef.ArgPolicy.REQUIRED;
import static dev.stasis.capture.filter.FieldType.BOOL;
import static dev.stasis.capture.filter.FieldType.STRING;

import dev.stasis.capture.filter.EventView.ContainerView;
import dev.stasis.capture.filter.EventView.ThreadView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code container.*} and {@code k8s.*} fields of the event's thread's container (libsinsp's
 * sinsp_filter_check_container and the k8s fields it reads from the container's labels).
 */
final class ContainerFields {
    private ContainerFields() {}

    static void register(FieldRegistry r) {
        r.add("container.id", STRING, NONE, "container id, 'host' outside containers", (e, a) -> {
            ThreadView t = e.thread();
            return t == null ? null : t.containerId() == null ? "host" : t.containerId();
        });
        r.add("container.name", STRING, NONE, "container name, 'host' outside containers", (e, a) -> {
            ThreadView t = e.thread();
            if (t == null) return null;
            if (t.containerId() == null || t.containerId().equals("host")) return "host";
            ContainerView c = t.container();
            return c == null ? null : c.name();
        });
        cnt(r, "container.image", "image as the runtime reported it", ContainerView::image);
        cnt(r, "container.image.repository", "image repository", ContainerView::imageRepository);
        cnt(r, "container.image.tag", "image tag", ContainerView::imageTag);
        cnt(r, "container.image.id", "image id", ContainerView::imageId);
        cnt(r, "container.type", "runtime: docker, cri-o, containerd...", ContainerView::type);
        r.add("container.privileged", BOOL, NONE, "privileged container", (e, a) -> {
            ContainerView c = container(e);
            return c == null ? null : c.privileged();
        });
        k8s(r, "k8s.pod.name", "io.kubernetes.pod.name");
        k8s(r, "k8s.ns.name", "io.kubernetes.pod.namespace");
        k8s(r, "k8s.pod.uid", "io.kubernetes.pod.uid");
        k8s(r, "k8s.pod.id", "io.kubernetes.pod.uid");
        k8s(r, "k8s.container.name", "io.kubernetes.container.name");
        r.add("k8s.pod.label", STRING, REQUIRED, "a pod label", (e, a) -> {
            ContainerView c = container(e);
            return c == null || c.labels() == null ? null : c.labels().get(a);
        });
        mounts(r);
        r.add("container.label", STRING, REQUIRED, "a container label", (e, a) -> {
            ContainerView c = container(e);
            return c == null || c.labels() == null ? null : c.labels().get(a);
        });
    }

    /**
     * container.mounts and container.mount[.source|.dest|.mode|.rdwr|.propagation][N or glob] as libsinsp had
     * them before the container plugin (sinsp_filtercheck_container.cpp at 1a0b3178e^): an argument that is a
     * number is an index, else a glob over the source (over the destination for .source); no value for host
     * threads or when no mount matches (its field description says container.mount reads "none" then, but
     * sysdig 0.29.3 prints {@code <NA>}: the code returns no value).
     */
    private static void mounts(FieldRegistry r) {
        r.add("container.mounts", STRING, NONE, "the container's mounts, source:dest:mode:rdwr:propagation, comma-separated",
                (e, a) -> {
                    ContainerView c = container(e);
                    if (c == null) return null;
                    List<String> all = new ArrayList<>();
                    for (var m : c.mounts()) all.add(m.text());
                    return String.join(",", all);
                });
        record Part(String name, String desc, Function<dev.stasis.capture.state.ContainerMount, String> f) {}
        List<Part> parts = List.of(
                new Part("container.mount", "one mount as source:dest:mode:rdwr:propagation, by index or source glob",
                        dev.stasis.capture.state.ContainerMount::text),
                new Part("container.mount.source", "a mount's source, by index or destination glob",
                        dev.stasis.capture.state.ContainerMount::source),
                new Part("container.mount.dest", "a mount's destination, by index or source glob",
                        dev.stasis.capture.state.ContainerMount::dest),
                new Part("container.mount.mode", "a mount's mode, by index or source glob",
                        dev.stasis.capture.state.ContainerMount::mode),
                new Part("container.mount.rdwr", "a mount's read/write flag (true/false), by index or source glob",
                        m -> Boolean.toString(m.readWrite())),
                new Part("container.mount.propagation", "a mount's propagation, by index or source glob",
                        dev.stasis.capture.state.ContainerMount::propagation));
        for (Part part : parts) {
            boolean bySource = !part.name().equals("container.mount.source");
            r.add(part.name(), STRING, REQUIRED, part.desc(), (e, a) -> {
                ContainerView c = container(e);
                if (c == null) return null;
                var m = mountOf(c.mounts(), a, bySource);
                return m == null ? null : part.f().apply(m);
            });
        }
    }

    private static dev.stasis.capture.state.ContainerMount mountOf(List<dev.stasis.capture.state.ContainerMount> mounts,
            String arg, boolean bySource) {
        try {
            int idx = Integer.parseInt(arg.strip());
            return idx >= 0 && idx < mounts.size() ? mounts.get(idx) : null;
        } catch (NumberFormatException notIndex) {
            var glob = Glob.compile(arg, false);
            for (var m : mounts) {
                if (glob.matcher(bySource ? m.source() : m.dest()).matches()) return m;
            }
            return null;
        }
    }

    private static ContainerView container(EventView e) {
        ThreadView t = e.thread();
        return t == null ? null : t.container();
    }

    private static void cnt(FieldRegistry r, String name, String desc, Function<ContainerView, Object> f) {
        r.add(name, STRING, NONE, desc, (e, a) -> {
            ContainerView c = container(e);
            return c == null ? null : f.apply(c);
        });
    }

    private static void k8s(FieldRegistry r, String name, String label) {
        r.add(name, STRING, NONE, "Kubernetes " + name.substring(4) + " (from the container's " + label + " label)",
                (e, a) -> {
                    ContainerView c = container(e);
                    Map<String, String> labels = c == null ? null : c.labels();
                    return labels == null ? null : labels.get(label);
                });
    }
}
