package dev.stasis.response.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken configuration stops the server at start with one line naming the
 * file and the key (before, a missing token file started a server that
 * answered every alert with an empty reply, and the shipped placeholder token
 * was accepted as a credential).
 */
class ServeConfigTest {
    @TempDir
    Path dir;

    Path config(String auth) throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
        return Files.writeString(dir.resolve("stasis.yaml"), """
                auth: %s
                policy: policy.yaml
                vault: vault
                podman: {}
                """.formatted(auth));
    }

    @Test
    void aMissingTokenFileIsRefusedNamingFileAndKey() throws Exception {
        Path cfg = config("{mode: bearer, tokenFile: token.txt}");
        assertThatThrownBy(() -> ServeConfig.load(cfg)).isInstanceOf(ConfigException.class)
                .hasMessage(cfg.toAbsolutePath() + ": auth.tokenFile: cannot read " + dir.resolve("token.txt") + ": no such file");
    }

    @Test
    void anEmptySecretIsRefused() throws Exception {
        Files.writeString(dir.resolve("hmac.key"), "\n");
        Path cfg = config("{mode: hmac, secretFile: hmac.key}");
        assertThatThrownBy(() -> ServeConfig.load(cfg)).hasMessage(cfg.toAbsolutePath() + ": auth.secretFile: the secret is empty");
    }

    /** The very placeholder the deploy manifests ship, in a mounted token file or inline. */
    @Test
    void theShippedPlaceholderIsRefused() throws Exception {
        String placeholder = "REPLACE-WITH-openssl-rand-hex-32";
        Path engine = Path.of(System.getProperty("stasis.root", "../")).resolve("deploy/base/engine.yaml");
        if (Files.exists(engine)) {
            Matcher m = Pattern.compile("token:\\s*(REPLACE-WITH\\S*)").matcher(Files.readString(engine));
            if (m.find()) placeholder = m.group(1);
        }
        Files.writeString(dir.resolve("token.txt"), placeholder + "\n");
        Path cfg = config("{mode: bearer, tokenFile: token.txt}");
        assertThatThrownBy(() -> ServeConfig.load(cfg)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(cfg.toAbsolutePath() + ": auth.tokenFile: still the placeholder '" + placeholder + "'")
                .hasMessageNotContaining("\n");
        Path inline = config("{mode: bearer, token: " + placeholder + "}");
        assertThatThrownBy(() -> ServeConfig.load(inline)).hasMessageStartingWith(inline.toAbsolutePath() + ": auth.token: still the placeholder");
        Files.writeString(dir.resolve("token.txt"), "3f1c9a7e5b2d4c6a8e0f1a2b3c4d5e6f\n");
        Files.writeString(dir.resolve("agent.txt"), "REPLACE-WITH-ANOTHER-openssl-rand-hex-32\n");
        Path agent = Files.writeString(dir.resolve("stasis.yaml"), """
                auth: {mode: bearer, tokenFile: token.txt}
                policy: policy.yaml
                vault: vault
                kubelet: {tokenFile: token.txt, agentTokenFile: agent.txt}
                """);
        assertThatThrownBy(() -> ServeConfig.load(agent)).hasMessageStartingWith(agent.toAbsolutePath() + ": kubelet.agentTokenFile: still the placeholder");
    }

    @Test
    void aRealSecretLoadsAndCheckpointConcurrencyIsConfigurable() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "3f1c9a7e5b2d4c6a8e0f1a2b3c4d5e6f\n");
        Path cfg = config("{mode: bearer, tokenFile: token.txt}");
        ServeConfig c = ServeConfig.load(cfg);
        assertThat(c.auth().token().get()).isEqualTo("3f1c9a7e5b2d4c6a8e0f1a2b3c4d5e6f");
        assertThat(c.maxConcurrentCheckpoints()).isEqualTo(ServeConfig.DEFAULT_MAX_CONCURRENT_CHECKPOINTS);
        Files.writeString(cfg, Files.readString(cfg) + "checkpoint: {maxConcurrent: 1}\n");
        assertThat(ServeConfig.load(cfg).maxConcurrentCheckpoints()).isEqualTo(1);
        Files.writeString(cfg, Files.readString(cfg).replace("maxConcurrent: 1", "maxConcurrent: 0"));
        assertThatThrownBy(() -> ServeConfig.load(cfg)).hasMessage(cfg.toAbsolutePath() + ": checkpoint.maxConcurrent must be at least 1");
    }
}
