package dev.stasis.capture.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.capture.CaptureFixtures;
import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code evt.type} and {@code evt.dir} checks compile to tables of event type numbers and
 * of generic events' syscall codes ({@link EventTypeSet}), which decide most events before
 * any field is read. Random filters of the grammar over the bundled captures select the
 * same events as the same filters with every such check written {@code tolower(evt.type)},
 * which the tables do not apply to (syscall names are lower case, so the two mean the
 * same). The generic events' names themselves are checked against sysdig 0.29.3.
 */
class EventTypeTableProperties {
    /** Every evt.type the bundled captures hold (generic events' syscall names too), plus names none has. */
    private static final List<String> NAMES;
    /** The evt.type of the bundled captures' generic events (types 0 and 1). */
    private static final TreeSet<String> GENERIC = new TreeSet<>();
    private static final List<Path> CAPTURES;

    static {
        try {
            CAPTURES = TestData.captures();
            TreeSet<String> names = new TreeSet<>(List.of("nosuchcall", "syscall", "open", "procexit"));
            for (Path c : CAPTURES) {
                TestData.forEachEvent(c, e -> {
                    if (e.type().matches("[a-z0-9_]+")) names.add(e.type());
                    if (e.rawTypeId() == 0 || e.rawTypeId() == 1) GENERIC.add(e.type());
                });
            }
            NAMES = List.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 150)
    void typeTablesSelectWhatTheFullCheckSelects(@ForAll("filters") Gen filter) throws IOException {
        Filter fast = Filter.compile(filter.text(false));
        Filter slow = Filter.compile(filter.text(true));
        for (Path c : CAPTURES) {
            List<Long> a = new ArrayList<>();
            List<Long> b = new ArrayList<>();
            TestData.forEachEvent(c, e -> {
                if (fast.matches(e)) a.add(e.num());
                if (slow.matches(e)) b.add(e.num());
            });
            assertThat(a).as("%s on %s", filter.text(false), c.getFileName()).containsExactlyElementsOf(b);
        }
    }

    @Example
    void genericEventsAreSelectedByTheirSyscallNameAsSysdigDoes() throws Exception {
        // without generic events in the captures the property above would not test their table
        assertThat(GENERIC).as("generic events in the bundled captures").hasSizeGreaterThan(3);
        GroundTruth.require(CaptureFixtures.sysdigInstalled(), "sysdig is not installed");
        for (Path c : CAPTURES) {
            for (String filter : List.of("evt.type in (" + String.join(", ", GENERIC) + ")",
                    "evt.type=" + GENERIC.first() + " or evt.type=" + GENERIC.last(),
                    "not evt.type in (" + String.join(", ", GENERIC) + ") and evt.dir=<")) {
                java.util.Set<Long> ignored = KnownDeviations.forFilter(c.getFileName().toString().replace(".scap", ""), filter);
                List<Long> want = CaptureFixtures.sysdig(c, "-p", "%evt.num", filter).stream().map(Long::parseLong)
                        .filter(n -> !ignored.contains(n)).toList();
                List<Long> got = TestData.select(c, Filter.compile(filter)).stream().filter(n -> !ignored.contains(n)).toList();
                assertThat(got).as("%s on %s", filter, c.getFileName()).containsExactlyElementsOf(want);
            }
        }
    }

    /** A filter of evt.type/evt.dir checks mixed with other fields under and/or/not. */
    sealed interface Gen {
        /** The filter text; {@code slow}: evt.type/evt.dir read through tolower(), bypassing the tables. */
        String text(boolean slow);
    }

    record Check(String field, String op, List<String> values) implements Gen {
        @Override
        public String text(boolean slow) {
            String lhs = slow && field.startsWith("evt.") ? "tolower(" + field + ")" : field;
            return lhs + " " + op + " " + (op.equals("in") ? "(" + String.join(", ", values) + ")" : values.get(0));
        }
    }

    record Other(String text) implements Gen {
        @Override
        public String text(boolean slow) {
            return text;
        }
    }

    record Not(Gen child) implements Gen {
        @Override
        public String text(boolean slow) {
            return "not (" + child.text(slow) + ")";
        }
    }

    record Join(String op, List<Gen> children) implements Gen {
        @Override
        public String text(boolean slow) {
            return "(" + String.join(" " + op + " ", children.stream().map(c -> c.text(slow)).toList()) + ")";
        }
    }

    @Provide
    Arbitrary<Gen> filters() {
        return gen(3);
    }

    private static Arbitrary<Gen> gen(int depth) {
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<Gen> type = Arbitraries.oneOf(
                Arbitraries.of("=", "!=").flatMap(op -> name.map(n -> new Check("evt.type", op, List.of(n)))),
                name.list().ofMinSize(1).ofMaxSize(5).map(ns -> new Check("evt.type", "in", ns)));
        Arbitrary<Gen> dir = Arbitraries.oneOf(
                Arbitraries.of("=", "!=").flatMap(op -> Arbitraries.of("<", ">").map(d -> new Check("evt.dir", op, List.of(d)))),
                Arbitraries.of(List.of("\"<\""), List.of("\">\""), List.of("\"<\"", "\">\"")).map(ds -> new Check("evt.dir", "in", ds)));
        Arbitrary<Gen> other = Arbitraries.of("proc.name=bash", "fd.typechar=f", "evt.res=0", "fd.type=ipv4",
                "evt.num>100", "proc.name in (cat, curl, sh)").map(Other::new);
        Arbitrary<Gen> leaf = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, type), net.jqwik.api.Tuple.of(2, dir), net.jqwik.api.Tuple.of(2, other));
        if (depth == 0) return leaf;
        Arbitrary<Gen> inner = Arbitraries.lazy(() -> gen(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(1, inner.map(Not::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("and", "or").flatMap(op ->
                        inner.list().ofMinSize(2).ofMaxSize(3).map(cs -> new Join(op, cs)))));
    }
}
