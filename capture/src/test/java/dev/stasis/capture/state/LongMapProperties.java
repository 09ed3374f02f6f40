package dev.stasis.capture.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The open-addressing map behaves as java.util.HashMap under any mix of puts, gets and removals. */
class LongMapProperties {
    record Op(int kind, long key) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        // few distinct keys so that removals hit, collide and shift probe runs; some huge tids
        Arbitrary<Long> keys = Arbitraries.oneOf(Arbitraries.longs().between(-3, 40),
                Arbitraries.longs().between(-3, 40).map(k -> k * 1024), Arbitraries.longs());
        return Combinators.combine(Arbitraries.integers().between(0, 2), keys).as(Op::new).list().ofMaxSize(400);
    }

    @Property
    void behavesAsAHashMap(@ForAll("ops") List<Op> ops) {
        LongMap<String> m = new LongMap<>(4);
        Map<Long, String> ref = new HashMap<>();
        int n = 0;
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> assertThat(m.put(op.key(), "v" + n)).isEqualTo(ref.put(op.key(), "v" + n));
                case 1 -> assertThat(m.remove(op.key())).isEqualTo(ref.remove(op.key()));
                default -> assertThat(m.get(op.key())).isEqualTo(ref.get(op.key()));
            }
            n++;
            assertThat(m.size()).isEqualTo(ref.size());
        }
        for (Map.Entry<Long, String> e : ref.entrySet()) {
            assertThat(m.get(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(m.values()).containsExactlyInAnyOrderElementsOf(ref.values());
        assertThat(m.keys()).containsExactlyInAnyOrder(ref.keySet().stream().mapToLong(Long::longValue).toArray());
    }
}
