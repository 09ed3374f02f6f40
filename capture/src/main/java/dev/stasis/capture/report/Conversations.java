package dev.stasis.capture.report;

import dev.stasis.capture.state.Event;
import dev.stasis.capture.state.FdInfo;
import dev.stasis.capture.state.Net;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Network conversations of a capture: one per connection (protocol, client and
 * server endpoints) and process, with the bytes each way and the first and last
 * time it was used. For a connection the capturing process initiated, writes go
 * client to server; for an accepted one, reads do.
 */
public final class Conversations {
    public record Conversation(String proto, String client, String server, String process, long pid, long fd,
            long bytesClientToServer, long bytesServerToClient, long events, long firstTs, long lastTs) {
    }

    private static final class Acc {
        String proto, client, server, process;
        long pid, fd, c2s, s2c, events, first, last;
    }

    private final Map<String, Acc> byKey = new LinkedHashMap<>();

    public void add(Event e) {
        FdInfo fd = e.fd();
        if (fd == null || !fd.isIp() || fd.isServerSocket() || e.thread() == null) {
            return;
        }
        String client = Net.ip(fd.sourceIp()) + ":" + fd.sourcePort();
        String server = Net.ip(fd.destIp()) + ":" + fd.destPort();
        if (fd.destPort() == 0 && fd.sourcePort() == 0) {
            return; // not connected yet
        }
        long pid = e.thread().pid();
        String key = fd.l4protoName() + " " + client + " " + server + " " + pid;
        Acc a = byKey.computeIfAbsent(key, k -> {
            Acc n = new Acc();
            n.proto = fd.l4protoName();
            n.client = client;
            n.server = server;
            n.process = e.thread().comm();
            n.pid = pid;
            n.fd = fd.fd();
            n.first = e.ts();
            return n;
        });
        a.events++;
        a.last = e.ts();
        long bytes = EventSource.ioBytes(e);
        boolean weAreServer = fd.isServerRole();
        boolean read = EventSource.isRead(e);
        if (read != weAreServer) {
            a.s2c += bytes;
        } else {
            a.c2s += bytes;
        }
    }

    public List<Conversation> list() {
        List<Conversation> out = new ArrayList<>();
        for (Acc a : byKey.values()) {
            out.add(new Conversation(a.proto, a.client, a.server, a.process, a.pid, a.fd, a.c2s, a.s2c, a.events,
                    a.first, a.last));
        }
        out.sort(Comparator.comparingLong(Conversation::firstTs));
        return out;
    }
}
