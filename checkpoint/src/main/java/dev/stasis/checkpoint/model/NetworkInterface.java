package dev.stasis.checkpoint.model;

import java.util.List;

/**
 * One interface of one network the container was attached to.
 *
 * @param network   the network's name ("podman", "kindnet", ...) or null when unknown
 * @param name      the interface inside the container ("eth0")
 * @param addresses IPs with prefix length ("10.88.0.5/16")
 * @param gateway   the gateway or null
 */
public record NetworkInterface(String network, String name, List<String> addresses, String mac, String gateway) {
    public NetworkInterface {
        addresses = List.copyOf(addresses);
    }

    /** The first address without its prefix length, or null. */
    public String ip() {
        if (addresses.isEmpty()) return null;
        String a = addresses.get(0);
        int slash = a.indexOf('/');
        return slash < 0 ? a : a.substring(0, slash);
    }
}
