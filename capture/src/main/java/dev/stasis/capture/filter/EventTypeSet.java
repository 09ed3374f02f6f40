package dev.stasis.capture.filter;

import dev.stasis.capture.scap.EventInfo;
import dev.stasis.capture.scap.EventTable;
import java.util.List;

/**
 * {@code evt.type = X}, {@code evt.type != X}, {@code evt.type in (...)} and the same
 * on {@code evt.dir} compiled to tables indexed by the driver's event type number, so
 * that the check costs an array load instead of string compares; filters run these
 * checks first among their siblings. Generic events (types 0 and 1, whose evt.type is
 * the name of the syscall they carry) are looked up by that syscall's code in a second
 * table; views that do not know type numbers take the ordinary check.
 */
final class EventTypeSet {
    private EventTypeSet() {}

    /** A check answered from the event type number (or a generic event's syscall code) alone. */
    record TypeNode(boolean[] match, boolean[] generic, boolean byRawType, Check fallback) implements Filter.Node {
        @Override
        public boolean test(EventView e) {
            int id = byRawType ? e.rawTypeId() : e.typeId();
            if (id >= 0 && id < match.length) return match[id];
            if (generic != null) {
                int code = e.genericSyscall();
                if (code >= 0 && code < generic.length) return generic[code];
            }
            return fallback.test(e);
        }
    }

    /** The fast check for {@code c}, or null when it is not an evt.type/evt.dir check this applies to. */
    static TypeNode compile(Operand lhs, Check c) {
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
        boolean type = name.equals("evt.type");
        EventTable table = EventTable.get();
        boolean[] match = new boolean[table.size()];
        for (int t = 0; t < match.length; t++) {
            String typeName = table.name(t); // the name alone: parsing every entry would cost a cold start
            if (typeName == null) {
                continue; // never delivered: the reader skips types beyond its table
            }
            String value = type ? typeName : String.valueOf(EventInfo.direction(t));
            match[t] = values.contains(value) != (op == Check.Op.NE);
        }
        boolean[] generic = null;
        if (type) {
            // the same names Event.name() gives a generic event ("<unknown>" for codes without one)
            generic = new boolean[table.syscallCodes()];
            for (int code = 0; code < generic.length; code++) {
                generic[code] = values.contains(table.syscallName(code)) != (op == Check.Op.NE);
            }
        }
        return new TypeNode(match, generic, !type, c);
    }
}
