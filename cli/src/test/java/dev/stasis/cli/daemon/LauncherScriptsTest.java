package dev.stasis.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.cli.CliTesting;
import dev.stasis.cli.Main;
import dev.stasis.cli.support.CommandTable;
import dev.stasis.cli.support.CommandTable.Jvm;
import dev.stasis.cli.support.CommandTable.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The launcher's lists and the Perl client's protocol numbers are generated from
 * the command table ({@code Main}) and {@link DaemonProtocol}, into the blocks
 * between {@code BEGIN GENERATED} and {@code END GENERATED} of
 * {@code .mvn/stasis-jvm.sh} and {@code .mvn/stasis-client.pl}. They are checked in,
 * so that {@code ./stasis} works on a fresh clone before anything is built; this
 * test fails when they are stale and, run with {@code -Dstasis.regenerate=true},
 * rewrites them:
 * <pre>./mvnw -o -pl cli test -Dtest=LauncherScriptsTest -Dstasis.regenerate=true</pre>
 */
class LauncherScriptsTest {
    private static final String BEGIN = "# BEGIN GENERATED", END = "# END GENERATED";
    private static final String HEADER = " by LauncherScriptsTest from cli/src/main/java/dev/stasis/cli/Main.java (the command table)"
            + " and daemon/DaemonProtocol.java; do not edit\n";

    @Test
    void theLaunchersListsAreTheCommandTables() throws IOException {
        check(CliTesting.root().resolve(".mvn/stasis-jvm.sh"), shell(Main.commandTable()));
    }

    @Test
    void theClientsProtocolNumbersAreTheServers() throws IOException {
        check(CliTesting.root().resolve(".mvn/stasis-client.pl"), perl());
    }

    /** The table says what the launcher's lists used to say by hand (the served list, capture's JVM flags). */
    @Test
    void theTableServesTheReadOnlyCommands() {
        CommandTable table = Main.commandTable();
        for (String served : List.of("inspect", "show", "list", "crit", "memory", "coredump", "extract", "analyze", "analyse", "diff", "capture", "policy")) {
            assertThat(table.served(new String[] {served, "x"})).as(served).isTrue();
        }
        for (String[] not : List.of(new String[] {"capture", "record", "--", "true"}, new String[] {"evidence", "list"}, new String[] {"serve"},
                new String[] {"sandbox", "run"}, new String[] {"inspect", "-"}, new String[] {})) {
            assertThat(table.served(not)).as(String.join(" ", not)).isFalse();
        }
        assertThat(table.row("capture").orElseThrow().jvm().flags()).isEqualTo("-XX:TieredStopAtLevel=1 -Xmn16m");
        assertThat(table.row("inspect").orElseThrow().jvm()).isEqualTo(Jvm.SHORT);
    }

    private static void check(Path file, String block) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int b = text.indexOf(BEGIN), e = text.indexOf(END);
        assertThat(b).as("%s has a generated block", file).isGreaterThanOrEqualTo(0);
        assertThat(e).isGreaterThan(b);
        String fresh = text.substring(0, b) + BEGIN + HEADER + block + text.substring(e);
        if (Boolean.getBoolean("stasis.regenerate")) {
            if (!fresh.equals(text)) Files.writeString(file, fresh, StandardCharsets.UTF_8);
            return;
        }
        assertThat(text).as("%s is stale: run ./mvnw -o -pl cli test -Dtest=LauncherScriptsTest -Dstasis.regenerate=true", file)
                .isEqualTo(fresh);
    }

    static String shell(CommandTable table) {
        StringBuilder s = new StringBuilder();
        s.append("# Whether the background JVM runs the command line \"$@\" (CommandTable.served).\n");
        s.append("stasis_served() {\n  case \"${1-}\" in\n");
        List<String> whole = new ArrayList<>();
        for (Row r : table.rows()) {
            if (!r.served()) continue;
            if (r.notServed().isEmpty()) whole.addAll(r.names());
            else s.append("    ").append(String.join("|", r.names())).append(") case \"${2-}\" in ")
                    .append(r.notServed().stream().sorted().collect(Collectors.joining("|"))).append(") return 1 ;; esac ;;\n");
        }
        s.insert(s.indexOf("  case \"${1-}\" in\n") + "  case \"${1-}\" in\n".length(), "    " + String.join("|", whole) + ") ;;\n");
        s.append("    *) return 1 ;;\n  esac\n");
        s.append("  for a in \"$@\"; do [ \"$a\" = - ] && return 1; done # reads standard input\n  return 0\n}\n");
        s.append("# Sets STASIS_JVM_COMMAND to the flags for the command named by $1 in a JVM of its own (CommandTable.Jvm says why).\n");
        s.append("stasis_command_flags() {\n  case \"${1-}\" in\n");
        for (Jvm jvm : Jvm.values()) {
            if (jvm.flags().isEmpty()) continue; // the default
            List<String> names = new ArrayList<>();
            if (table.root() == jvm) names.addAll(List.of("\"\"", "-*"));
            for (Row r : table.rows()) if (r.jvm() == jvm) names.addAll(r.names());
            if (!names.isEmpty()) s.append("    ").append(String.join("|", names)).append(") STASIS_JVM_COMMAND=\"").append(jvm.flags()).append("\" ;;\n");
        }
        s.append("    *) STASIS_JVM_COMMAND=\"\" ;;\n  esac\n}\n");
        s.append("# Sets STASIS_AOT_CACHE to the AOT cache the command named by $1 starts from in a JVM of its own:\n");
        s.append("# its own, recorded from its training runs alone (CommandTable.Row.ownAotCache), or \"\" for every command's.\n");
        s.append("stasis_aot_cache() {\n  case \"${1-}\" in\n");
        for (Row r : table.rows()) {
            if (r.ownCache()) s.append("    ").append(String.join("|", r.names())).append(") STASIS_AOT_CACHE=").append(r.name()).append(" ;;\n");
        }
        s.append("    *) STASIS_AOT_CACHE=\"\" ;;\n  esac\n}\n");
        s.append("# the client's exit codes when it printed nothing and the launcher runs the command itself\n");
        s.append("STASIS_CLIENT_NO_ANSWER=").append(DaemonProtocol.CLIENT_NO_ANSWER)
                .append(" STASIS_CLIENT_BUSY=").append(DaemonProtocol.CLIENT_BUSY)
                .append(" STASIS_CLIENT_DECLINED=").append(DaemonProtocol.CLIENT_DECLINED).append('\n');
        return s.toString();
    }

    static String perl() {
        return "my ($MAGIC, $VERSION) = (0x" + Integer.toHexString(DaemonProtocol.MAGIC) + ", " + DaemonProtocol.VERSION + ");\n"
                + "my ($FRAME_STDOUT, $FRAME_STDERR, $FRAME_EXIT, $FRAME_BUSY, $FRAME_ACCEPTED) = ("
                + DaemonProtocol.STDOUT + ", " + DaemonProtocol.STDERR + ", " + DaemonProtocol.EXIT + ", " + DaemonProtocol.BUSY + ", "
                + DaemonProtocol.ACCEPTED + ");\n"
                + "my $MAX_FRAME = " + DaemonProtocol.MAX_FRAME + ";\n"
                + "my ($CLIENT_NO_ANSWER, $CLIENT_BUSY, $CLIENT_DECLINED) = (" + DaemonProtocol.CLIENT_NO_ANSWER + ", "
                + DaemonProtocol.CLIENT_BUSY + ", " + DaemonProtocol.CLIENT_DECLINED + ");\n"
                + "my @PASSED_ENV = (" + CommandTable.PASSED_ENV.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", ")) + ");\n";
    }
}
