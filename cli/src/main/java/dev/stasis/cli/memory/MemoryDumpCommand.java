package dev.stasis.cli.memory;

import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.MemoryException;
import dev.stasis.memory.Vma;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis memory dump}: raw bytes or a hexdump of an address range or a whole VMA. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Write process memory raw (-o FILE) or as a hexdump (--hexdump, to stdout or -o FILE).",
                "Refuses ranges with pages the checkpoint lacks (file pages CRIU did not dump, pre-dump or lazy",
                "pages) unless --allow-missing, which writes zeros there and lists the gaps on stderr.",
                "Untouched anonymous pages are real zeros and are no gap."})
public final class MemoryDumpCommand implements Callable<Integer> {
    private static final int CHUNK = 1 << 20;

    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "checkpoint archive or directory") Path archive;
    @Option(names = "--pid", required = true, description = "process id") int pid;

    static final class Range {
        @ArgGroup(exclusive = false) Explicit explicit;
        @Option(names = "--vma", paramLabel = "START", description = "the whole VMA starting at (or containing) this address") String vma;
    }

    static final class Explicit {
        @Option(names = "--address", required = true, paramLabel = "A", description = "start address (hex)") String address;
        @Option(names = "--length", required = true, paramLabel = "L", description = "bytes (4096, 0x1000, 4k)") String length;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Range range;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "output file (raw unless --hexdump)") Path output;
    @Option(names = "--hexdump", description = "hexdump -C style text instead of raw bytes") boolean hexdump;
    @Option(names = "--allow-missing", description = "write zeros for pages the checkpoint lacks instead of failing") boolean allowMissing;

    @Override
    public Integer call() throws Exception {
        if (output == null && !hexdump) throw new IllegalArgumentException("give -o FILE for raw bytes, or --hexdump");
        try (MemoryOptions.Opened o = MemoryOptions.open(archive)) {
            AddressSpace as = o.memory().addressSpace(pid);
            long start, length;
            if (range.vma != null) {
                long a = MemoryOptions.address(range.vma);
                Vma v = as.process().vmaAt(a);
                if (v == null) throw new MemoryException("no VMA of process " + pid + " contains " + MemoryOptions.hex(a));
                start = v.start();
                length = v.size();
            } else {
                start = MemoryOptions.address(range.explicit.address);
                length = MemoryOptions.size(range.explicit.length);
                if (length == 0) throw new IllegalArgumentException("--length is 0");
            }
            // check the whole range first so a refused dump writes nothing
            List<AddressSpace.Gap> gaps = gaps(as, start, length);
            if (!gaps.isEmpty() && !allowMissing) {
                AddressSpace.Gap g = gaps.get(0);
                throw new MemoryException(gaps.size() + " gap(s) in " + MemoryOptions.hex(start) + "+" + length + ": first " + MemoryOptions.hex(g.address())
                        + "+" + g.length() + " is " + describe(g) + "; the checkpoint does not hold those bytes (use --allow-missing for zeros)");
            }
            for (AddressSpace.Gap g : gaps)
                System.err.println("stasis: zeros written for " + MemoryOptions.hex(g.address()) + "+" + g.length() + " (" + describe(g) + ")");
            try (OutputStream out = output == null ? nonClosing(System.out) : new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
                byte[] buf = new byte[CHUNK];
                HexDump hd = hexdump ? new HexDump(new PrintStream(out, false, StandardCharsets.US_ASCII), start) : null;
                for (long done = 0; done < length; ) {
                    int n = (int) Math.min(CHUNK, length - done);
                    as.read(start + done, buf, 0, n);
                    if (hd != null) hd.write(buf, n);
                    else out.write(buf, 0, n);
                    done += n;
                }
                if (hd != null) hd.finish(start + length);
            }
            return 0;
        }
    }

    private static List<AddressSpace.Gap> gaps(AddressSpace as, long start, long length) {
        List<AddressSpace.Gap> gaps = new ArrayList<>();
        byte[] buf = new byte[CHUNK];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(CHUNK, length - done);
            gaps.addAll(as.read(start + done, buf, 0, n));
            done += n;
        }
        return gaps;
    }

    private static String describe(AddressSpace.Gap g) {
        return switch (g.state()) {
            case FILE_NOT_DUMPED -> "file-backed, not dumped by CRIU";
            case IN_PARENT -> "in a pre-dump parent image that is not in this checkpoint";
            case LAZY -> "lazy (left on the source host)";
            case UNMAPPED -> "not mapped";
            default -> g.state().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static OutputStream nonClosing(OutputStream o) {
        return new java.io.FilterOutputStream(o) {
            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws java.io.IOException {
                flush();
            }
        };
    }

    /** hexdump -C layout with virtual addresses; repeated lines collapse to "*". */
    static final class HexDump {
        private final PrintStream out;
        private long addr;
        private final byte[] line = new byte[16];
        private int fill;
        private byte[] last;
        private boolean starred;

        HexDump(PrintStream out, long start) {
            this.out = out;
            this.addr = start;
        }

        void write(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                line[fill++] = b[i];
                if (fill == 16) flushLine();
            }
        }

        void finish(long end) {
            if (fill > 0) flushLine();
            out.printf("%016x%n", end);
            out.flush();
        }

        private void flushLine() {
            byte[] cur = java.util.Arrays.copyOf(line, fill);
            if (last != null && fill == 16 && java.util.Arrays.equals(cur, last)) {
                if (!starred) out.println("*");
                starred = true;
            } else {
                starred = false;
                StringBuilder sb = new StringBuilder(String.format("%016x  ", addr));
                for (int i = 0; i < 16; i++) {
                    sb.append(i < fill ? String.format("%02x ", cur[i] & 0xff) : "   ");
                    if (i == 7) sb.append(' ');
                }
                sb.append(" |");
                for (int i = 0; i < fill; i++) {
                    int c = cur[i] & 0xff;
                    sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
                }
                sb.append('|');
                out.println(sb);
            }
            last = cur;
            addr += fill;
            fill = 0;
        }
    }
}
