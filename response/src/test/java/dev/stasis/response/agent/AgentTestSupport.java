package dev.stasis.response.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

final class AgentTestSupport {
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private AgentTestSupport() {}

    /** The hash by coreutils, not by the code under test. */
    static String sha256sum(Path f) throws Exception {
        Process p = new ProcessBuilder("sha256sum", f.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        return out.split("\\s+")[0];
    }

    static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
