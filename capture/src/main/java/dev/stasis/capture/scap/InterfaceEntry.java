package dev.stasis.capture.scap;

/**
 * A network interface address from an interface list block. {@code ifType} is the
 * scap type (1 IPv4, 2 IPv6, 3 IPv4 without link speed, 4 IPv6 without link speed);
 * addresses in network byte order.
 */
public record InterfaceEntry(int ifType, String name, byte[] addr, byte[] netmask, byte[] bcast, long linkSpeed) {
    public boolean isIpv6() {
        return ifType == 2 || ifType == 4;
    }
}
