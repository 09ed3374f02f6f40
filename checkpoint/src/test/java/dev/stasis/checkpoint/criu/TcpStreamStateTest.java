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
}
