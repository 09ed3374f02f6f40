package dev.stasis.memory.strings;

import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.PageState;
import dev.stasis.memory.Pagemap;
import dev.stasis.memory.Vma;
import java.util.function.Consumer;

/**
 * Printable strings in a process's memory, like strings(1) but with virtual
 * addresses. Runs continue across pages that are adjacent in memory and stop
 * at pages the checkpoint does not hold. Printable means ASCII 0x20-0x7e and
 * tab; UTF-16LE runs are such characters each followed by a zero byte.
 */
public final class StringsExtractor {
    public enum Encoding { ASCII, UTF16LE, BOTH }

    private static final int MAX_RUN = 1 << 16;
    private final int minLength;
    private final Encoding encoding;
    private final Consumer<FoundString> sink;

    public StringsExtractor(int minLength, Encoding encoding, Consumer<FoundString> sink) {
        if (minLength < 1) throw new IllegalArgumentException("minimum length must be at least 1");
        this.minLength = minLength;
        this.encoding = encoding;
        this.sink = sink;
    }

    public void extract(AddressSpace as) {
        byte[] page = new byte[Pagemap.PAGE_SIZE];
        boolean wantAscii = encoding != Encoding.UTF16LE, wantUtf16 = encoding != Encoding.ASCII;
        for (Vma v : as.process().vmas()) {
            Run ascii = new Run("ascii", 1), even = new Run("utf16le", 2), odd = new Run("utf16le", 2);
            int prev = -1;
            long prevAddr = -2;
            for (long a = v.start(); Long.compareUnsigned(a, v.end()) < 0; a += Pagemap.PAGE_SIZE) {
                if (as.locate(a).state() != PageState.DATA) {
                    ascii.end();
                    even.end();
                    odd.end();
                    prevAddr = -2;
                    continue;
                }
                as.read(a, page, 0, page.length);
                for (int i = 0; i < page.length; i++) {
                    long addr = a + i;
                    int b = page[i] & 0xff;
                    if (wantAscii) {
                        if (printable(b)) ascii.add(addr, (char) b);
                        else ascii.end();
                    }
                    if (wantUtf16) {
                        // the code unit that started at the previous byte is complete; units at even and odd
                        // addresses form separate runs
                        if (prevAddr == addr - 1) {
                            Run r = (prevAddr & 1) == 0 ? even : odd;
                            if (b == 0 && printable(prev)) r.add(prevAddr, (char) prev);
                            else r.end();
                        }
                        prev = b;
                        prevAddr = addr;
                    }
                }
            }
            ascii.end();
            even.end();
            odd.end();
        }
    }

    private static boolean printable(int b) {
        return (b >= 0x20 && b < 0x7f) || b == '\t';
    }

    /** The string being collected for one encoding and alignment. */
    private final class Run {
        final String name;
        final int unit;
        final StringBuilder text = new StringBuilder();
        long start = -1;

        Run(String name, int unit) {
            this.name = name;
            this.unit = unit;
        }

        void add(long addr, char c) {
            if (start < 0 || addr != start + (long) text.length() * unit) {
                end();
                start = addr;
            }
            text.append(c);
            if (text.length() >= MAX_RUN) end();
        }

        void end() {
            if (text.length() >= minLength) sink.accept(new FoundString(start, name, text.toString()));
            text.setLength(0);
            start = -1;
        }
    }
}
