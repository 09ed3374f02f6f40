package dev.stasis.capture.state;

import dev.stasis.capture.scap.RawEvent;
import java.util.Map;

/** The containers of the state: from threads' cgroups and from container events. */
final class ContainerResolver {
    private final CaptureState state;

    ContainerResolver(CaptureState state) {
        this.state = state;
    }

    /** Sets a thread's container from its cgroups (libsinsp's resolve_container). */
    void resolve(ThreadInfo t) {
        ContainerIds.Match m = ContainerIds.match(t.cgroups);
        t.containerId = m.id();
        // libsinsp's engines record a container they found from cgroups alone, but for the CRI
        // runtimes, which it cannot ask when reading a file: the id is known, the container is not
        if (!t.containerId.isEmpty() && state.container(t.containerId) == null && m.recorded()) {
            state.putContainer(new ContainerInfo(t.containerId, m.type(), m.name(), "", "", "", "",
                    false, Map.of()));
        }
    }

    /** A container event: its JSON describes a container. */
    void parseJson(RawEvent e) {
        if (e.nparams() < 1) {
            return;
        }
        ContainerInfo c = ContainerJson.parse(e.string(0));
        if (c != null) {
            state.putContainer(c);
        }
    }
}
