package dev.stasis.capture.filter;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A hand-built event for operator tests: one open-like exit event of a thread with an fd. */
final class FakeEvent implements EventView {
    final List<String> names = new ArrayList<>();
    final List<Object> raws = new ArrayList<>();
    String type = "open";
    boolean enter = false;
    Thread thread = new Thread();
    Fd fd = new Fd();

    FakeEvent param(String name, Object raw) {
        names.add(name);
        raws.add(raw);
        return this;
    }

    @Override public long num() { return 42; }
    @Override public long ts() { return 1_700_000_000_123_456_789L; }
    @Override public int cpu() { return 1; }
    @Override public long tid() { return thread.tid; }
    @Override public String type() { return type; }
    @Override public boolean isEnter() { return enter; }
    @Override public boolean hasFlag(String c) { return c.equals("EF_CREATES_FD") || c.equals("EF_USES_FD"); }
    @Override public int paramCount() { return names.size(); }
    @Override public String paramName(int i) { return names.get(i); }
    @Override public Object paramRaw(int i) { return raws.get(i); }
    @Override public String paramText(int i) { return String.valueOf(raws.get(i)); }
    @Override public String paramArg(int i) { return String.valueOf(raws.get(i)); }
    @Override public String args() { return "fd=3 name=/etc/passwd"; }
    @Override public Long returnValue() { return 3L; }
    @Override public Long lastEventFd() { return fd == null ? null : fd.num; }
    @Override public ThreadView thread() { return thread; }
    @Override public FdView fd() { return fd; }

    static final class Thread implements ThreadView {
        long tid = 100;
        String comm = "bash";
        List<String> args = List.of("-c", "cat /etc/passwd");
        Thread parent;
        @Override public long tid() { return tid; }
        @Override public long pid() { return tid; }
        @Override public long ptid() { return parent == null ? -1 : parent.tid; }
        @Override public long vtid() { return tid; }
        @Override public long vpid() { return tid; }
        @Override public long sid() { return 1; }
        @Override public long vpgid() { return 1; }
        @Override public String comm() { return comm; }
        @Override public String exe() { return "/bin/" + comm; }
        @Override public String exepath() { return "/usr/bin/" + comm; }
        @Override public List<String> args() { return args; }
        @Override public String cwd() { return "/root/"; }
        @Override public List<String> env() { return List.of("HOME=/root"); }
        @Override public long uid() { return 0; }
        @Override public long gid() { return 0; }
        @Override public long loginUid() { return -1; }
        @Override public long tty() { return 34816; }
        @Override public String userName() { return "root"; }
        @Override public String userHome() { return "/root"; }
        @Override public String userShell() { return "/bin/bash"; }
        @Override public String loginUserName() { return null; }
        @Override public String groupName() { return "root"; }
        @Override public ThreadView parent() { return parent; }
        @Override public ThreadView mainThread() { return this; }
        @Override public String containerId() { return "3ad7b26ded6d"; }
        @Override public ContainerView container() {
            return new ContainerView() {
                @Override public String id() { return "3ad7b26ded6d"; }
                @Override public String name() { return "web"; }
                @Override public String image() { return "docker.io/library/nginx:1.25"; }
                @Override public String imageRepository() { return "docker.io/library/nginx"; }
                @Override public String imageTag() { return "1.25"; }
                @Override public String imageId() { return "sha256:abc"; }
                @Override public String type() { return "containerd"; }
                @Override public boolean privileged() { return false; }
                @Override public Map<String, String> labels() {
                    return Map.of("io.kubernetes.pod.name", "web-0", "io.kubernetes.pod.namespace", "shop");
                }
            };
        }
        @Override public long startTs() { return 0; }
    }

    static final class Fd implements FdView {
        long num = 3;
        char typeChar = 'f';
        String name = "/etc/passwd";
        InetAddress cip;
        InetAddress sip;
        int cport;
        int sport;
        boolean server;
        boolean client;
        @Override public long num() { return num; }
        @Override public char typeChar() { return typeChar; }
        @Override public String typeName() { return typeChar == 'f' ? "file" : typeChar == '4' ? "ipv4" : "ipv6"; }
        @Override public String name() { return name; }
        @Override public String l4proto() { return typeChar == 'f' ? null : "tcp"; }
        @Override public InetAddress clientIp() { return cip; }
        @Override public InetAddress serverIp() { return sip; }
        @Override public int clientPort() { return cport; }
        @Override public int serverPort() { return sport; }
        @Override public boolean serverSocket() { return false; }
        @Override public boolean roleServer() { return server; }
        @Override public boolean roleClient() { return client; }
        @Override public long ino() { return 0; }
    }
}
