package dev.stasis.memory.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real gdb (and readelf) as the judge of a core file. */
final class Gdb {
    static final Path GDB = Path.of("/usr/bin/gdb"), READELF = Path.of("/usr/bin/readelf");

    private Gdb() {}

    static void assumeInstalled(Path tool) {
        GroundTruth.require(Files.isExecutable(tool), tool + " is not installed (apt-get install gdb binutils)");
    }

    static String run(Path core, String... commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(GDB.toString(), "-nx", "-batch", "-c", core.toString()));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        return exec(cmd);
    }

    static String readelfNotes(Path core) throws IOException, InterruptedException {
        return exec(List.of(READELF.toString(), "-n", "-W", core.toString()));
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The values of every {@code $N = {0x.., 0x..}} line gdb printed, in order. */
    static List<List<Long>> vectors(String gdbOutput) {
        List<List<Long>> out = new ArrayList<>();
        Matcher m = Pattern.compile("^\\$\\d+ = \\{([^}]*)}", Pattern.MULTILINE).matcher(gdbOutput);
        while (m.find()) {
            List<Long> v = new ArrayList<>();
            for (String s : m.group(1).split(",\\s*")) v.add(Long.parseUnsignedLong(s.trim().substring(2), 16));
            out.add(v);
        }
        return out;
    }

    /** The bytes of every {@code x/Nxb} line gdb printed, concatenated. */
    static byte[] bytes(String gdbOutput) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        Matcher line = Pattern.compile("^0x[0-9a-f]+(?: <[^>]*>)?:((?:\\s+0x[0-9a-f]{2})+)\\s*$", Pattern.MULTILINE).matcher(gdbOutput);
        while (line.find()) for (String s : line.group(1).trim().split("\\s+")) b.write(Integer.parseInt(s.substring(2), 16));
        return b.toByteArray();
    }
}
