package dev.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stasis.cli.CliTesting.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One JSON vocabulary (docs/json.md): every document a command prints with --format json is an object
 * whose first key names its schema, and every key stasis chose is snake_case. Names from the evidence or
 * from another tool's language (sysdig/Falco fields, Kubernetes objects, environment, annotations, rule
 * names) are data and exempt, under the keys that hold them.
 */
class JsonVocabularyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final Pattern FIELD = Pattern.compile("[a-z0-9]+(\\.[a-z0-9_]+)+");
    private static final Pattern SCHEMA = Pattern.compile("stasis\\.[a-z]+(-[a-z]+)*/v[1-9][0-9]*");
    /** Keys whose values are keyed by data, not by stasis's vocabulary. */
    private static final Set<String> DATA = Set.of("objects", "annotations", "labels", "env", "environment", "alerts_by_rule",
            "restore_stats", "output_fields", "alert", "spec");

    @TempDir
    Path tmp;

    private static String cp(String name) {
        return CliTesting.checkpoint(name).toString();
    }

    private static String scap(String name) {
        return CliTesting.root().resolve("testdata/captures").resolve(name).toString();
    }

    @Test
    void everyDocumentNamesItsSchemaAndUsesSnakeCase() throws Exception {
        Map<String, String[]> commands = new java.util.LinkedHashMap<>();
        commands.put("stasis.memory/v1", new String[] {"memory", cp("irc-bot.tar.zst"), "--format", "json"});
        commands.put("stasis.memory-maps/v1", new String[] {"memory", "maps", cp("fileless-miner.tar.gz"), "--pid", "23", "--format", "json"});
        commands.put("stasis.memory-search/v1", new String[] {"memory", "search", cp("irc-bot.tar.zst"), "--text", "PRIVMSG", "--format", "json"});
        commands.put("stasis.coredump/v1", new String[] {"coredump", cp("irc-bot.tar"), "--pid", "17", "-o", tmp.resolve("cores").toString(), "--format", "json"});
        commands.put("stasis.diff/v1", new String[] {"diff", cp("irc-bot.pre.tar.zst"), cp("irc-bot.tar.zst"), "--format", "json"});
        commands.put("stasis.report/v1", new String[] {"analyze", cp("benign-web.tar.zst"), "--format", "json"});
        commands.put("stasis.capture-info/v1", new String[] {"capture", "info", scap("falco_run_as_user_0_container.scap"), "--format", "json"});
        commands.put("stasis.capture-stats/v1", new String[] {"capture", "stats", scap("libs_curl_google.scap"), "--format", "json"});
        commands.put("stasis.capture-conversations/v1", new String[] {"capture", "conversations", scap("libs_curl_google.scap"), "--format", "json"});
        commands.put("stasis.capture-timeline/v1", new String[] {"capture", "timeline", scap("falco_run_as_user_0_container.scap"), "--format", "json"});
        commands.put("stasis.capture-follow/v1", new String[] {"capture", "follow", scap("libs_curl_google.scap"), "--fd", "17497:4", "--format", "json"});
        commands.put("stasis.capture-rules-summary/v1", new String[] {"capture", "rules", scap("falco_connect_localhost.scap"), "--rules",
                CliTesting.root().resolve("capture/examples/malicious_ips.yaml").toString(), "--summary", "--format", "json"});
        commands.put("stasis.show/v1", new String[] {"show", cp("irc-bot.tar"), cp("benign-web.tar.zst"), "--format", "json"});
        commands.put("stasis.list/v1", new String[] {"list", CliTesting.root().resolve("testdata/checkpoints").toString(), "--format", "json"});
        commands.put("stasis.extract-list/v1", new String[] {"extract", cp("fileless-miner.tar.gz"), "--list", "--format", "json"});
        commands.put("stasis.extract/v1", new String[] {"extract", cp("fileless-miner.tar.gz"), "/memfd:kworkerds", "-o",
                tmp.resolve("x1").toString(), "--format", "json"});
        commands.put("stasis.extract-rootfs-diff/v1", new String[] {"extract", cp("irc-bot.tar.zst"), "--rootfs-diff", "-o",
                tmp.resolve("x2").toString(), "--format", "json"});
        commands.put("stasis.crit-info/v1", new String[] {"crit", "info", cp("irc-bot.tar") + ":checkpoint/pstree.img", "--format", "json"});
        commands.put("stasis.crit-decode/v1", new String[] {"crit", "decode", "-i", cp("irc-bot.tar"), "-o", tmp.resolve("crit").toString(),
                "--format", "json"});
        commands.put("stasis.sandbox-manifest/v1", new String[] {"sandbox", "manifest", cp("irc-bot.tar"), "--image", "reg.example/ckpt:1", "--format", "json"});
        String vault = tmp.resolve("vault").toString();
        commands.put("stasis.evidence-keygen/v1", new String[] {"evidence", "--vault", vault, "keygen", "--format", "json"});
        commands.put("stasis.evidence-add/v1", new String[] {"evidence", "--vault", vault, "add", cp("irc-bot.tar.zst"), "--case", "INC-1", "--format", "json"});
        commands.put("stasis.evidence-list/v1", new String[] {"evidence", "--vault", vault, "list", "--format", "json"});
        commands.put("stasis.evidence-verify/v1", new String[] {"evidence", "--vault", vault, "verify", "--all", "--format", "json"});
        commands.put("stasis.evidence-log/v1", new String[] {"evidence", "--vault", vault, "log", "--format", "json"});
        commands.put("stasis.evidence-log-verify/v1", new String[] {"evidence", "--vault", vault, "log", "--verify", "--format", "json"});
        commands.put("stasis.case-list/v1", new String[] {"case", "--vault", vault, "list", "--format", "json"});
        commands.put("stasis.case-show/v1", new String[] {"case", "--vault", vault, "show", "INC-1", "--format", "json"});
        List<String> bad = new ArrayList<>();
        for (var c : commands.entrySet()) {
            Run r = CliTesting.run(c.getValue());
            assertThat(r.exit()).as(String.join(" ", c.getValue()) + ": " + r.err()).isIn(0, 1);
            JsonNode doc = JSON.readTree(r.out());
            assertThat(doc.isObject()).as(c.getKey()).isTrue();
            assertThat(doc.fieldNames().next()).as(c.getKey() + ": first key").isEqualTo("schema");
            assertThat(doc.get("schema").asText()).isEqualTo(c.getKey()).matches(SCHEMA);
            keys(doc, c.getKey(), bad);
        }
        assertThat(bad).as("keys that are not snake_case").isEmpty();
    }

    private static void keys(JsonNode n, String where, List<String> bad) {
        if (n.isArray()) {
            for (JsonNode e : n) keys(e, where + "[]", bad);
        } else if (n.isObject()) {
            n.fieldNames().forEachRemaining(k -> {
                if (!SNAKE.matcher(k).matches() && !FIELD.matcher(k).matches()) bad.add(where + "." + k);
                if (!DATA.contains(k)) keys(n.get(k), where + "." + k, bad);
            });
        }
    }

    /** The checker itself: camelCase is caught, sysdig field names and data keys are not. */
    @Test
    void theCheckCatchesCamelCase() throws Exception {
        List<String> bad = new ArrayList<>();
        keys(JSON.readTree("{\"bytesScanned\":1,\"ok_key\":{\"evt.num\":1,\"innerKey\":2},\"annotations\":{\"io.Kube\":1}}"), "$", bad);
        assertThat(bad).containsExactly("$.bytesScanned", "$.ok_key.innerKey");
    }
}
