package dev.stasis.sandbox.run.sinkhole;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sinkhole's DNS, asked by an independent resolver: the JDK's JNDI DNS provider. */
class DnsTest {
    @TempDir
    Path tmp;

    @Test
    void everyNameResolvesToTheSinkholeAndIsLogged() throws Exception {
        Path log = tmp.resolve("t.jsonl");
        try (Transcript t = new Transcript(log);
             DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Thread th = Thread.ofPlatform().daemon().start(new Dns(s, InetAddress.getByName("10.88.0.1"), t));
            Hashtable<String, String> env = new Hashtable<>();
            env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
            env.put("java.naming.provider.url", "dns://127.0.0.1:" + s.getLocalPort());
            env.put("com.sun.jndi.dns.timeout.retries", "1");
            Attributes a = new InitialDirContext(env).getAttributes("pool.minexmr.example", new String[] {"A"});
            assertThat(a.get("A").get()).isEqualTo("10.88.0.1");
            Attributes b = new InitialDirContext(env).getAttributes("c2.evil.test", new String[] {"A"});
            assertThat(b.get("A").get()).isEqualTo("10.88.0.1");
            s.close();
            th.join(2000);
        }
        assertThat(Files.readString(log)).contains("dns pool.minexmr.example type 1").contains("dns c2.evil.test type 1");
    }

    @Test
    void aMalformedPacketGetsNoAnswer() {
        assertThat(Dns.reply(new byte[] {1, 2, 3}, 3, new byte[] {10, 88, 0, 1})).isNull();
        byte[] response = new byte[20];
        response[2] = (byte) 0x80; // QR set: a response, not a query
        assertThat(Dns.reply(response, response.length, new byte[] {10, 88, 0, 1})).isNull();
    }
}
