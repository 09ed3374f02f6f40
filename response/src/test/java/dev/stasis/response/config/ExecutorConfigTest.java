package dev.stasis.response.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code executor:} in stasis.yaml: a broken one stops {@code stasis serve} at start with one line naming the file and the key. */
class ExecutorConfigTest {
    @TempDir
    Path dir;

    Path config(String executor) throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
        return Files.writeString(dir.resolve("stasis.yaml"), """
                auth: {mode: none}
                policy: policy.yaml
                vault: vault
                podman: {}
                """ + executor);
    }

    void refused(String executor, String message) throws Exception {
        Path cfg = config(executor);
        assertThatThrownBy(() -> ServeConfig.load(cfg)).isInstanceOf(ConfigException.class)
                .hasMessage(cfg.toAbsolutePath() + ": " + message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theDefaultAndInProcessRunTheActionsHere() throws Exception {
        assertThat(ServeConfig.load(config("")).argo()).isNull();
        assertThat(ServeConfig.load(config("executor: {kind: in-process}\n")).argo()).isNull();
    }

    @Test
    void argoLoadsWithItsTokenFileAndDefaults() throws Exception {
        Files.writeString(dir.resolve("argo.token"), "eyJhbGciOiJSUzI1NiJ9.c2VydmljZQ.c2ln\n");
        Files.writeString(dir.resolve("argo-ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        ServeConfig.Argo a = ServeConfig.load(config("executor: {kind: argo, server: 'https://argo-server.argo:2746', tokenFile: argo.token, caFile: argo-ca.crt}\n")).argo();
        assertThat(a.server()).isEqualTo(URI.create("https://argo-server.argo:2746"));
        assertThat(a.namespace()).isEqualTo("stasis-agent");
        assertThat(a.workflowTemplate()).isEqualTo("stasis-respond");
        assertThat(a.token().get()).isEqualTo("eyJhbGciOiJSUzI1NiJ9.c2VydmljZQ.c2ln");
        assertThat(a.caFile()).isEqualTo(dir.resolve("argo-ca.crt"));
        ServeConfig.Argo plain = ServeConfig.load(config("executor: {kind: argo, server: 'http://127.0.0.1:2746', token: abc123, insecureHttp: true,"
                + " namespace: argo, workflowTemplate: respond}\n")).argo();
        assertThat(plain.namespace()).isEqualTo("argo");
        assertThat(plain.workflowTemplate()).isEqualTo("respond");
    }

    @Test
    void aBrokenExecutorIsOneLineNamingTheKey() throws Exception {
        refused("executor: {kind: lambda}\n", "executor.kind: unknown executor 'lambda' (in-process, argo)");
        refused("executor: argo\n", "executor must be a mapping (kind: in-process or argo)");
        refused("executor: {kind: argo, tokenFile: t}\n", "executor.server is required: the Argo Server's URL, e.g. https://argo-server.argo:2746");
        refused("executor: {kind: argo, server: 'https://argo:2746', tokenFile: argo.token}\n",
                "executor.tokenFile: cannot read " + dir.resolve("argo.token") + ": no such file");
        refused("executor: {kind: argo, server: 'https://argo:2746'}\n",
                "executor: kind argo needs tokenFile (or token): a token the Argo Server accepts (argo auth token)");
        refused("executor: {kind: argo, server: 'argo-server:2746', token: abc}\n",
                "executor.server: expected https://HOST[:PORT] (the Argo Server's address, no path), got 'argo-server:2746'");
        refused("executor: {kind: argo, server: 'https://argo:2746/api/v1', token: abc}\n",
                "executor.server: expected https://HOST[:PORT] (the Argo Server's address, no path), got 'https://argo:2746/api/v1'");
        refused("executor: {kind: argo, server: 'https://ar go', token: abc}\n", "executor.server: not a URL: 'https://ar go'");
        refused("executor: {kind: argo, server: 'http://argo:2746', token: abc}\n",
                "executor.server: 'http://argo:2746' is plain HTTP and would send the token in the clear; use https (caFile), or insecureHttp: true deliberately");
        refused("executor: {kind: argo, server: 'https://argo:2746', token: REPLACE-WITH-argo-token}\n",
                "executor.token: still the placeholder 'REPLACE-WITH-argo-token'; put a real secret there (openssl rand -hex 32)");
        refused("executor: {kind: argo, server: 'https://argo:2746', token: abc, caFile: none.crt}\n", "executor.caFile: cannot read " + dir.resolve("none.crt"));
        refused("executor: {kind: argo, server: 'https://argo:2746', token: abc, namespace: Stasis_Agent}\n",
                "executor.namespace: not a Kubernetes namespace name: 'Stasis_Agent'");
        refused("executor: {kind: argo, server: 'https://argo:2746', token: abc, url: x}\n",
                "executor: unknown key 'url' (allowed: caFile, insecureHttp, kind, namespace, server, token, tokenFile, workflowTemplate)");
        refused("executor: {kind: in-process, server: 'https://argo:2746'}\n",
                "executor: unknown key 'server' (allowed: kind) (the in-process executor takes no settings)");
    }
}
