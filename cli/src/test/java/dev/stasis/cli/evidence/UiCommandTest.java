package dev.stasis.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.CliTesting;
import dev.stasis.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stasis ui}'s TLS options: what is wrong with them is one line and exit 1, before anything listens. */
class UiCommandTest {
    @TempDir
    Path dir;

    private Run run(String... args) {
        return CliTesting.run(() -> {
            var cl = new picocli.CommandLine(new UiCommand());
            cl.setExecutionExceptionHandler(dev.stasis.cli.support.Errors::handleExecutionException);
            cl.setParameterExceptionHandler(dev.stasis.cli.support.Errors::handleParameterException);
            return cl;
        }, args);
    }

    @Test
    void aBadCertificateFileOrAMissingHalfIsOneLineAndExit1() throws Exception {
        // openssl (a Debian base package) makes the key: cli has no test-support, so a missing openssl fails here
        Path key = dir.resolve("key.pem"), cert = dir.resolve("cert.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "1", "-subj", "/CN=ui-test", "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        String vault = dir.resolve("vault").toString();
        String[][] cases = {
                {"--tls-cert", garbage.toString(), "--tls-key", key.toString()},
                {"--tls-cert", cert.toString(), "--tls-key", garbage.toString()},
                {"--tls-cert", dir.resolve("absent.pem").toString(), "--tls-key", key.toString()},
                {"--tls-cert", cert.toString()},
                {"--rules", dir.resolve("absent-rules.yaml").toString()},
        };
        for (String[] tls : cases) {
            String[] args = new String[4 + tls.length];
            System.arraycopy(new String[] {"--vault", vault, "--listen", "127.0.0.1:0"}, 0, args, 0, 4);
            System.arraycopy(tls, 0, args, 4, tls.length);
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", tls) + ": " + r.err()).isEqualTo(1);
            assertThat(r.err().strip()).as(String.join(" ", tls)).startsWith("stasis: ").doesNotContain("\n").doesNotContain("\tat ");
            assertThat(r.err()).as(String.join(" ", tls)).containsAnyOf("garbage.pem", "absent.pem", "--tls-key", "absent-rules.yaml");
        }
        // read-only: a refused start leaves no vault behind
        assertThat(dir.resolve("vault")).doesNotExist();
    }
}
