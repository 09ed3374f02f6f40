package dev.stasis.capture.scap;

import dev.stasis.capture.CaptureFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Mutated real captures (flipped bytes, truncation): reading them through the
 * reader and the state engine either works or fails with ScapFormatException;
 * never another exception (which the CLI would show as a stack trace).
 */
class CorruptCaptureProperties {
    private static byte[] original;

    private static synchronized byte[] original() throws IOException {
        if (original == null) {
            Path p = CaptureFixtures.root().resolve("testdata/captures/libs_test_ipv6_client.scap");
            original = CaptureFixtures.plain(p);
        }
        return original;
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> flips() {
        Arbitrary<Tuple.Tuple2<Integer, Byte>> one = Combinators.combine(
                Arbitraries.integers().between(0, 81379), Arbitraries.bytes()).as(Tuple::of);
        return one.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 300)
    void flippedBytesNeverEscapeAsOtherExceptions(@ForAll("flips") List<Tuple.Tuple2<Integer, Byte>> flips)
            throws IOException {
        byte[] b = original().clone();
        for (Tuple.Tuple2<Integer, Byte> f : flips) {
            int at = f.get1() % b.length;
            b[at] = f.get2();
        }
        readExpectingOnlyFormatErrors(b);
    }

    @Property(tries = 100)
    void truncationNeverEscapesAsOtherExceptions(@ForAll("cut") int length) throws IOException {
        byte[] b = java.util.Arrays.copyOf(original(), Math.min(length, original().length));
        readExpectingOnlyFormatErrors(b);
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, 81380);
    }

    private static void readExpectingOnlyFormatErrors(byte[] b) throws IOException {
        try {
            ScapReaderRobustnessTest.readAll(b);
        } catch (ScapFormatException expected) {
            if (expected.getMessage() == null || expected.getMessage().contains("\n")) {
                throw new AssertionError("error message must be one line: " + expected.getMessage());
            }
        }
    }
}
