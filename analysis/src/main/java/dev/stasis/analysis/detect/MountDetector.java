package dev.stasis.analysis.detect;

import dev.stasis.analysis.finding.Confidence;
import dev.stasis.analysis.finding.Evidence;
import dev.stasis.analysis.finding.Finding;
import dev.stasis.analysis.finding.Severity;
import dev.stasis.analysis.subject.MountPoint;
import dev.stasis.analysis.subject.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Mounts that hand an intruder something valuable:
 * STASIS-MOUNT-001 a Kubernetes service-account token (API credentials);
 * STASIS-MOUNT-002 a container runtime socket (docker, containerd, CRI-O, podman): control of the node;
 * STASIS-MOUNT-003 a host path bind-mounted into the container (runtime plumbing excluded).
 */
public final class MountDetector implements Detector {
    private static final Pattern SA_TOKEN = Pattern.compile("/(var/)?run/secrets/(kubernetes\\.io/serviceaccount|eks\\.amazonaws\\.com/serviceaccount|tokens)/?.*");
    private static final Pattern RUNTIME_SOCKET = Pattern.compile(".*/(docker|containerd|crio|cri-dockerd|podman|dockershim|kubelet)\\.sock$|.*/containerd/containerd\\.sock.*|^/(var/)?run/(docker|containerd|crio|podman)/?$");
    /** Where engines keep a container's own files (hosts, resolv.conf, shm, secrets): not host paths in the sense of a risk. */
    private static final Pattern PLUMBING = Pattern.compile("^/(var/)?run/containers/storage/.*|^/var/lib/containers/storage/.*|^/var/lib/kubelet/pods/.*"
            + "|^/(var/)?run/containerd/io\\.containerd\\.runtime.*|^/var/lib/containerd/.*|^/var/lib/docker/containers/.*|^/run/user/\\d+/containers/.*"
            + "|^/(var/)?run/secrets(/.*)?|^/dev/termination-log$");
    private static final Pattern SENSITIVE_HOST = Pattern.compile("^/$|^/(etc|root|home|proc|sys|boot|dev|var/log|var/lib/kubelet|var/lib/docker|var/lib/containerd|etc/kubernetes|lib/modules|usr|bin|sbin|var/run|run)(/.*)?$");

    @Override
    public String name() {
        return "sensitive mounts";
    }

    @Override
    public List<Finding> detect(Subject subject, DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        for (MountPoint m : subject.spec().mounts()) {
            Evidence ev = new Evidence("mount", null, null, null, null, m.destination(),
                    m.type() + " from " + m.source() + " (" + String.join(",", m.options()) + ")", null);
            if (SA_TOKEN.matcher(m.destination()).matches()) {
                out.add(Finding.builder("STASIS-MOUNT-001", "Service-account token mounted at " + m.destination())
                        .severity(Severity.LOW).confidence(Confidence.HIGH)
                        .techniques("T1528", "T1552.007")
                        .evidence(ev)
                        .why("Anyone who runs code in this container can read the token and call the Kubernetes API with the pod's"
                                + " identity. Disable automountServiceAccountToken where the workload does not need it.")
                        .build());
            } else if (RUNTIME_SOCKET.matcher(m.destination()).matches() || (m.source() != null && RUNTIME_SOCKET.matcher(m.source()).matches())) {
                out.add(Finding.builder("STASIS-MOUNT-002", "Container runtime socket mounted: " + m.destination())
                        .severity(Severity.CRITICAL).confidence(Confidence.HIGH)
                        .techniques("T1610", "T1611")
                        .evidence(ev)
                        .why("The runtime socket lets any process here start a privileged container on the node: it is root on the"
                                + " host in one API call.")
                        .build());
            } else if (m.isBind() && m.source() != null && m.source().startsWith("/") && !PLUMBING.matcher(m.source()).matches()) {
                boolean sensitive = SENSITIVE_HOST.matcher(m.source()).matches();
                out.add(Finding.builder("STASIS-MOUNT-003", "Host path " + m.source() + " mounted at " + m.destination()
                                + (m.readOnly() ? " (read-only)" : " (writable)"))
                        .severity(sensitive ? (m.readOnly() ? Severity.MEDIUM : Severity.HIGH) : Severity.LOW)
                        .confidence(Confidence.HIGH)
                        .techniques("T1611")
                        .evidence(ev)
                        .why("A hostPath mount exposes the node's files to the container"
                                + (sensitive ? "; this one is a system location an intruder can use to reach the host." : "."))
                        .build());
            }
        }
        return out;
    }
}
