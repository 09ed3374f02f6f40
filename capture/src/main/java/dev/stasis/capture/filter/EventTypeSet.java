package dev.stasis.capture.filter;

import dev.stasis.capture.scap.EventInfo;
import dev.stasis.capture.scap.EventTable;
import java.util.List;

/**
 * {@code evt.type = X}, {@code evt.type != X}, {@code evt.type in (...)} and the same
 * on {@code evt.dir} compiled to a table indexed by the driver's event type number, so
 * that the check costs an array load instead of string compares; filters run these
 * checks first among their siblings. Generic events (types 0 and 1, named after the
 * syscall they carry) and views that do not know type numbers take the ordinary check.
 */
final class EventTypeSet {
    private EventTypeSet() {}

    /** A check answered from the event type number alone. */
    record TypeNode(boolean[] match, Check fallback) implements Filter.Node {
        @Override
        public boolean test(EventView e) {
            int id = e.typeId();
            return id >= 0 && id < match.length ? match[id] : fallback.test(e);
        }
    }

    /** The fast check for {@code c}, or null when it is not an evt.type/evt.dir check this applies to. */
    static Filter.Node compile(Operand lhs, Check c) {
        BoundField f = lhs.field();
        if (f == null || c.modified()) return null;
        String name = f.def().name();
        if (!lhs.plain() || f.arg() != null || !(name.equals("evt.type") || name.equals("evt.dir"))
                || f.def() != FieldRegistry.standard().resolve(name, null, 0).def()) {
            return null;
        }
        Check.Op op = c.op();
        if ((op != Check.Op.EQ && op != Check.Op.NE && op != Check.Op.IN) || c.rawValues().isEmpty()) {
            return null;
        }
        List<String> values = c.rawValues();
        EventTable table = EventTable.get();
        boolean[] match = new boolean[table.size()];
        for (int t = 0; t < match.length; t++) {
            EventInfo info = table.info(t);
            if (info == null) {
                continue;
            }
            String value = name.equals("evt.type") ? info.name() : String.valueOf(info.direction());
            boolean in = values.contains(value);
            match[t] = op == Check.Op.NE ? !in : in;
        }
        return new TypeNode(match, c);
    }
}
