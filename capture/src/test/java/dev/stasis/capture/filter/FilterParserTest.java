package dev.stasis.capture.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The grammar: precedence, operators, values, and errors that name the column. */
class FilterParserTest {

    @Test
    void andBindsTighterThanOr() {
        Expr e = FilterParser.parse("a.b=1 or c.d=2 and e.f=3");
        assertThat(e).isInstanceOf(Expr.Or.class);
        Expr.Or or = (Expr.Or) e;
        assertThat(or.children()).hasSize(2);
        assertThat(or.children().get(1)).isInstanceOf(Expr.And.class);
    }

    @Test
    void notParenthesesAndNesting() {
        Expr e = FilterParser.parse("not (proc.name=cat or not(proc.name=bash)) and not not evt.type=open");
        Expr.And and = (Expr.And) e;
        assertThat(and.children().get(0)).isInstanceOf(Expr.Not.class);
        // "not not x" cancels out, as in libsinsp.
        assertThat(and.children().get(1)).isInstanceOf(Expr.Compare.class);
    }

    @Test
    void operatorsAndValues() {
        Expr.Compare c = (Expr.Compare) FilterParser.parse("fd.name icontains \"/Etc Dir\"");
        assertThat(c.op()).isEqualTo("icontains");
        assertThat(((Expr.Literal) c.rhs()).text()).isEqualTo("/Etc Dir");
        Expr.Compare in = (Expr.Compare) FilterParser.parse("proc.name in (cat, 'my bin', \"x\\\"y\")");
        assertThat(((Expr.ListValue) in.rhs()).items()).extracting(Expr.Literal::text)
                .containsExactly("cat", "my bin", "x\"y");
        Expr.Compare arg = (Expr.Compare) FilterParser.parse("proc.aname[2]=bash");
        assertThat(((Expr.Field) arg.lhs()).arg()).isEqualTo("2");
        Expr.Compare tr = (Expr.Compare) FilterParser.parse("tolower(basename(fd.name)) = passwd");
        Expr.Transform outer = (Expr.Transform) tr.lhs();
        Expr.Transform inner = (Expr.Transform) outer.inner();
        assertThat(outer.function()).isEqualTo("tolower");
        assertThat(inner.function()).isEqualTo("basename");
        assertThat(((Expr.Field) inner.inner()).name()).isEqualTo("fd.name");
        Expr.Compare val = (Expr.Compare) FilterParser.parse("thread.tid = val(proc.pid)");
        assertThat(val.rhs()).isInstanceOf(Expr.FieldValue.class);
        assertThat(FilterParser.parse("fd.name exists")).isInstanceOf(Expr.Exists.class);
        assertThat(FilterParser.parse("evt.num>=10")).isInstanceOf(Expr.Compare.class);
        for (String op : List.of("=", "==", "!=", "<", "<=", ">", ">=")) {
            assertThat(((Expr.Compare) FilterParser.parse("evt.num " + op + " 5")).op()).isEqualTo(op);
        }
        for (String op : List.of("contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob",
                "iglob")) {
            assertThat(((Expr.Compare) FilterParser.parse("fd.name " + op + " x")).op()).isEqualTo(op);
        }
        for (String op : List.of("in", "intersects", "pmatch")) {
            assertThat(((Expr.Compare) FilterParser.parse("fd.name " + op + " (x, y)")).op()).isEqualTo(op);
        }
        assertThat(FilterParser.parse("my_macro and evt.type=open")).isInstanceOf(Expr.And.class);
    }

    @Test
    void errorsNameTheColumn() {
        assertThatThrownBy(() -> FilterParser.parse("proc.name = cat and")).isInstanceOf(FilterException.class)
                .hasMessageContaining("at column");
        assertThatThrownBy(() -> FilterParser.parse("proc.name cat")).isInstanceOf(FilterException.class)
                .hasMessageStartingWith("expected a valid check operator").hasMessageEndingWith("at column 11");
        assertThatThrownBy(() -> FilterParser.parse("(proc.name=cat")).hasMessage("expected a ')' token at column 15");
        assertThatThrownBy(() -> FilterParser.parse("evt.num > abc")).hasMessageStartingWith("expected a number value")
                .hasMessageEndingWith("at column 11");
        assertThatThrownBy(() -> FilterParser.parse("proc.name in cat, bash)")).isInstanceOf(FilterException.class)
                .hasMessageContaining("column 17");
        assertThatThrownBy(() -> FilterParser.parse("fd.name = 'unterminated")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> FilterParser.parse("   ")).hasMessage("empty filter");
        assertThatThrownBy(() -> FilterParser.parse("(".repeat(5000) + "a.b=1" + ")".repeat(5000)))
                .hasMessageContaining("nested too deeply");
    }

    @Test
    void compileErrorsAreTyped() {
        assertThatThrownBy(() -> Filter.compile("proc.nosuch=1")).hasMessage("unknown field 'proc.nosuch' at column 1");
        assertThatThrownBy(() -> Filter.compile("proc.pid = abc")).hasMessageContaining("proc.pid is not a valid number");
        assertThatThrownBy(() -> Filter.compile("proc.pid contains 1")).hasMessageContaining("'contains' operator not supported");
        assertThatThrownBy(() -> Filter.compile("fd.sip = 1.2.3")).hasMessageContaining("unrecognized IP address");
        assertThatThrownBy(() -> Filter.compile("fd.net = 10.0.0.0/33")).hasMessageContaining("unrecognized IP network");
        assertThatThrownBy(() -> Filter.compile("proc.aname = 1 and some_macro"))
                .hasMessageContaining("undefined macro or unknown name 'some_macro'");
        assertThatThrownBy(() -> Filter.compile("len(proc.pid) = 1")).hasMessageContaining("'len' needs a string");
    }

    /**
     * sysdig 0.29.3 refuses both (run by hand: "filter error at position 18: filter error:
     * unrecognized field evt.type.is.nosuch at pos 0" and "filter syntax error: evt.type.is[open]");
     * the dotted name of a real event type is a field.
     */
    @Test
    void evtTypeIsTakesADottedEventTypeName() {
        assertThat(Filter.compile("evt.type.is.open = 1")).isNotNull();
        assertThatThrownBy(() -> Filter.compile("evt.type.is.nosuch = 1"))
                .hasMessageContaining("unrecognized field evt.type.is.nosuch");
        assertThatThrownBy(() -> Filter.compile("evt.type.is[open] = 1")).hasMessageContaining("filter syntax error");
    }
}
