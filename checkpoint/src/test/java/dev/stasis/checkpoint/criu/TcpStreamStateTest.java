package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stasis.checkpoint.Fixtures;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The TCP state of the IRC bot's connection, against crit's own decoding of the same image. */
class TcpStreamStateTest {
    @Test
    void readsWhatCritReads() {
        JsonNode crit = Fixtures.crit("irc-bot.tar.zst", "tcp-stream-1c662.img").path("entries").get(0);
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint("irc-bot.tar.zst"))) {
            TcpStreamState s = TcpStreamState.read(a.images(), 0x1c662).orElseThrow();
            assertThat(s.inqSeq()).isEqualTo(crit.path("inq_seq").asLong());
            assertThat(s.outqSeq()).isEqualTo(crit.path("outq_seq").asLong());
            assertThat(s.sndWscale()).isEqualTo(crit.path("snd_wscale").asInt());
            assertThat(s.rcvWscale()).isEqualTo(crit.path("rcv_wscale").asInt());
            assertThat(s.mssClamp()).isEqualTo(crit.path("mss_clamp").asInt());
            assertThat(s.optMask()).isEqualTo(crit.path("opt_mask").asInt());
            assertThat(s.timestamp()).isEqualTo(crit.path("timestamp").asLong());
            assertThat(s.sndWnd()).isEqualTo(crit.path("snd_wnd").asLong());
            assertThat(s.rcvWnd()).isEqualTo(crit.path("rcv_wnd").asLong());
            assertThat(s.inQueue()).isEqualTo(Base64.getDecoder().decode(crit.path("extra").path("inq").asText()));
            assertThat(s.outQueue()).isEqualTo(Base64.getDecoder().decode(crit.path("extra").path("outq").asText()));
            assertThat(s.sendUnacknowledged()).isEqualTo((crit.path("outq_seq").asLong() - crit.path("outq_len").asLong()) & 0xffffffffL);
        }
    }

    @Test
    void aSocketWithoutStreamImageHasNoState() {
        try (CheckpointArchive a = CheckpointArchive.open(Fixtures.checkpoint("irc-bot.tar.zst"))) {
            assertThat(TcpStreamState.read(a.images(), 0x1234)).isEmpty();
        }
    }

    @Test
    void queuesSplitTheStreamImageAtTheInQueueLength(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        dev.stasis.checkpoint.criu.images.TcpStream.tcp_stream_entry entry = dev.stasis.checkpoint.criu.images.TcpStream.tcp_stream_entry.newBuilder()
                .setInqLen(3).setInqSeq(1).setOutqLen(4).setOutqSeq(2).setOptMask(0).setSndWscale(0).setMssClamp(1460).setRcvWscale(0).setTimestamp(0).build();
        byte[] queued = "abcWXYZ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.file.Files.write(dir.resolve("tcp-stream-1f.img"), ImageWriter.write(ImageType.TCP_STREAM, java.util.List.of(new ImageEntry(entry, queued))));

        TcpStreamState q = TcpStreamState.read(new DirectoryImageSource(dir), 0x1f).orElseThrow();

        assertThat(new String(q.inQueue(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(new String(q.outQueue(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("WXYZ");
        assertThat(TcpStreamState.read(new DirectoryImageSource(dir), 0x20)).isEmpty();
    }
}
