package dev.stasis.cli.checkpoint;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kubelet's archive name {@code checkpoint-<pod>_<namespace>-<container>-<RFC3339>.tar}. Pod
 * names cannot contain '_', so the first '_' ends the pod; namespaces cannot contain '-'... but they
 * can, so the container is taken as what lies between the namespace and the timestamp only when
 * the metadata inside does not say.
 */
record KubeletName(String pod, String namespace, String rest, String time) {
    private static final Pattern NAME = Pattern.compile(
            "checkpoint-([^_]+)_(.+)-(\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(?:Z|[+-]\\d{2}:\\d{2}))\\.tar.*");

    static Optional<KubeletName> parse(String file) {
        Matcher m = NAME.matcher(file);
        if (!m.matches()) return Optional.empty();
        String nsAndContainer = m.group(2);
        int dash = nsAndContainer.indexOf('-');
        String ns = dash < 0 ? nsAndContainer : nsAndContainer.substring(0, dash);
        String rest = dash < 0 ? "" : nsAndContainer.substring(dash + 1);
        return Optional.of(new KubeletName(m.group(1), ns, rest, m.group(3)));
    }
}
