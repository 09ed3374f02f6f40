#!/usr/bin/env python3
"""Derive stasis' scap event table (a data file of facts: event numbers, names,
parameter names/types/formats, flag names and values, syscall names) from
falcosecurity/libs' driver/event_table.c, flags_table.c, ppm_events_public.h
and userspace/libscap/syscall_info_table.c.

Two revisions are read: BASE (the libs revision Debian's sysdig 0.29.3 is built
on, e5c53d64, so the parameter formats match the reference reader) and HEAD
(for events and trailing parameters added since). For every event the BASE
parameters come first, then any parameters HEAD appended.

The tables are written as TSV files to OUT_DIR (capture/src/test/resources/dev/stasis/capture/scap,
where TableTextTest reads them) and, from those, as the Java constants the reader uses
(capture/src/main/java/dev/stasis/capture/scap/TableText.java): a JVM's first resource lookup
costs some 10 ms before anything is compiled, more than parsing the tables.

usage: gen_event_table.py LIBS_GIT_DIR OUT_DIR
       gen_event_table.py --java TSV_DIR     (only TableText.java, from the TSV files)
"""
import os, re, subprocess, sys

BASE = "e5c53d648f3c4694385bbe488e7d47eaa36c229a"

def show(repo, rev, path):
    return subprocess.run(["git", "-C", repo, "show", f"{rev}:{path}"], check=True,
                          capture_output=True, text=True).stdout

def strip_comments(s, keep_ppme=False):
    if keep_ppme:
        s = re.sub(r"/\*\s*(PPME_\w+|PPM_SC_\w+|dummy)\s*\*/", r" @@\1 ", s)
    s = re.sub(r"/\*.*?\*/", " ", s, flags=re.S)
    return re.sub(r"//[^\n]*", " ", s)

def defines(header):
    """#define NAME value, evaluated to ints where possible."""
    vals = {}
    raw = {}
    for m in re.finditer(r"^#define\s+(\w+)\s+(.+?)\s*$", strip_comments(header), re.M):
        raw[m.group(1)] = m.group(2)
    for m in re.finditer(r"^\s*(\w+)\s*=\s*([^,\n]+),?", strip_comments(header), re.M):
        raw.setdefault(m.group(1), m.group(2))
    def ev(name, depth=0):
        if name in vals: return vals[name]
        if depth > 20 or name not in raw: raise KeyError(name)
        expr = raw[name]
        expr2 = re.sub(r"\b([A-Za-z_]\w*)\b", lambda m: str(ev(m.group(1), depth + 1)), expr)
        expr2 = re.sub(r"(\d+)U?L*\b", r"\1", expr2)
        v = eval(expr2, {})
        vals[name] = int(v)
        return vals[name]
    def get(name):
        try: return ev(name)
        except Exception: return None
    return get

def enum_values(header, prefix):
    out = {}
    for m in re.finditer(r"\b(" + prefix + r"\w*)\s*=\s*(\d+)", header):
        out[m.group(1)] = int(m.group(2))
    return out

class P:
    def __init__(self, s): self.toks = re.findall(r'"(?:[^"\\]|\\.)*"|@@\w+|\[\w+\]|[{}(),=|]|[^\s{}(),=|"]+', s); self.i = 0
    def peek(self): return self.toks[self.i] if self.i < len(self.toks) else None
    def next(self): t = self.toks[self.i]; self.i += 1; return t
    def value(self):
        """a brace group -> list of values; otherwise tokens up to , or } joined."""
        if self.peek() == "{":
            self.next(); items = []
            while self.peek() != "}":
                items.append(self.value())
                if self.peek() == ",": self.next()
            self.next(); return items
        parts = []; depth = 0
        while True:
            t = self.peek()
            if t is None: break
            if depth == 0 and t in (",", "}"): break
            if t == "(": depth += 1
            if t == ")": depth -= 1
            parts.append(self.next())
        return " ".join(parts)

def parse_table(src, array_name):
    body = src[src.index(array_name):]
    body = body[body.index("{", body.index("=")):]
    p = P(strip_comments(body, keep_ppme=True))
    p.next()  # {
    entries = []
    while p.peek() not in ("}", None):
        key = None
        t = p.peek()
        if t.startswith("@@"): key = p.next()[2:]
        t = p.peek()
        if t.startswith("["): key = p.next()[1:-1]; p.next()  # =
        if p.peek() == ",": p.next(); continue
        entries.append((key, p.value()))
        if p.peek() == ",": p.next()
    return entries

def events(repo, rev):
    hdr = show(repo, rev, "driver/ppm_events_public.h")
    enum = enum_values(hdr, "PPME_")
    src = show(repo, rev, "driver/event_table.c")
    out = {}
    for idx, (key, v) in enumerate(parse_table(src, "g_event_info")):
        num = enum.get(key, idx) if key else idx
        name = v[0].strip('"'); cat = v[1]; flags = v[2]; n = int(v[3]) if len(v) > 3 else 0
        params = []
        if len(v) > 4:
            for pv in v[4][:n]:
                pname = pv[0].strip('"'); ptype = pv[1]; pfmt = pv[2]
                info = pv[3] if len(pv) > 3 else ""
                m = re.match(r"DIRFD_PARAM \( (\d+) \)", info)
                if m: info = "dirfd:" + m.group(1)
                elif info.startswith("(") or info == "0": info = ""
                params.append((pname, ptype, pfmt, info.replace(" ", "")))
        out[num] = (name, cat.replace(" ", ""), flags.replace(" ", ""), params)
    return out, hdr

def flag_tables(repo, rev, hdr):
    get = defines(hdr)
    src = show(repo, rev, "driver/flags_table.c")
    res = {}
    for m in re.finditer(r"const struct ppm_name_value (\w+)\[\]\s*=\s*\{(.*?)\};", strip_comments(src), re.S):
        rows = []
        for n, v in re.findall(r'\{\s*"([^"]+)"\s*,\s*([^}]+?)\s*\}', m.group(2)):
            val = get(v.strip()) if not re.match(r"^-?\d+$", v.strip()) else int(v)
            if val is None:
                try: val = eval(re.sub(r"\b([A-Za-z_]\w*)\b", lambda mm: str(get(mm.group(1))), v), {})
                except Exception: print("unresolved", n, v, file=sys.stderr); continue
            if val is None: print("unresolved", t if False else m.group(1), n, v, file=sys.stderr); continue
            rows.append((n, int(val)))
        res[m.group(1)] = rows
    return res

def syscalls(repo, rev):
    src = show(repo, rev, "userspace/libscap/syscall_info_table.c")
    names = {}
    for i, (key, v) in enumerate(parse_table(src, "g_syscall_info_table")):
        names[i] = v[2].strip('"')
    return names

def main():
    repo, outdir = sys.argv[1], sys.argv[2]
    base, base_hdr = events(repo, BASE)
    head, head_hdr = events(repo, "HEAD")
    lines = ["# stasis scap event table, generated by capture/tools/gen_event_table.py from falcosecurity/libs",
             f"# (driver/event_table.c at {BASE} = Debian sysdig 0.29.3, extended by HEAD). Columns:",
             "# type<TAB>name<TAB>category<TAB>flags<TAB>params: name|type|format|info separated by TAB"]
    for num in sorted(set(base) | set(head)):
        b = base.get(num); h = head.get(num)
        src = b if b and b[0] != "NA" else h
        if src is None: continue
        params = list(src[3])
        if h and b and len(h[3]) > len(params):
            params += h[3][len(params):]
        lines.append("\t".join([str(num), src[0], src[1], src[2]] + ["|".join(p) for p in params]))
    open(f"{outdir}/event_table.tsv", "w").write("\n".join(lines) + "\n")
    ft = flag_tables(repo, "HEAD", head_hdr)
    ft.update(flag_tables(repo, BASE, base_hdr))  # the reference reader's names win
    fl = ["# flag tables (driver/flags_table.c): table<TAB>name<TAB>value"]
    for t, rows in sorted(ft.items()):
        for n, v in rows: fl.append(f"{t}\t{n}\t{v}")
    open(f"{outdir}/flag_tables.tsv", "w").write("\n".join(fl) + "\n")
    sc = syscalls(repo, BASE)
    open(f"{outdir}/syscalls.tsv", "w").write("# PPM_SC code<TAB>name (userspace/libscap/syscall_info_table.c)\n" +
        "\n".join(f"{k}\t{v}" for k, v in sorted(sc.items())) + "\n")

def name_tables(repo, outdir):
    """errno and signal names as sysdig prints them (libsinsp utils.cpp)."""
    utils = strip_comments(show(repo, BASE, "userspace/libsinsp/utils.cpp"))
    for header, func, out in (("sinsp_errno.h", "errno_to_str", "errno.tsv"),
                              ("sinsp_signal.h", "signal_to_str", "signals.tsv")):
        get = defines(show(repo, BASE, "userspace/libsinsp/" + header))
        body = utils[utils.index("sinsp_utils::" + func):]
        body = body[:body.index("default:")]
        rows = []
        for k, v in re.findall(r'case\s+(\w+)\s*:\s*return\s+"([^"]+)"', body):
            rows.append(f"{get(k)}\t{v}")
        open(f"{outdir}/{out}", "w").write(f"# {func} (libsinsp utils.cpp): number<TAB>name\n" + "\n".join(rows) + "\n")

JAVA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "../src/main/java/dev/stasis/capture/scap/TableText.java")
TABLES = (("EVENT_TABLE", "event_table.tsv"), ("FLAG_TABLES", "flag_tables.tsv"), ("SYSCALLS", "syscalls.tsv"),
          ("ERRNOS", "errno.tsv"), ("SIGNALS", "signals.tsv"))

def java_string(text):
    out = []
    for ch in text:
        if ch == "\\": out.append("\\\\")
        elif ch == '"': out.append('\\"')
        elif ch == "\t": out.append("\\t")
        elif ch == "\n": out.append("\\n")
        elif " " <= ch <= "~": out.append(ch)
        elif ch < " ": out.append("\\%03o" % ord(ch))  # not \\u: javac reads those before the string
        else: out.append("\\u%04x" % ord(ch))
    return '"' + "".join(out) + '"'

def java_tables(tsv_dir, java_file):
    """Each table as chunks of whole lines, each chunk a string constant within the class file's 64 KB limit."""
    out = ["// GENERATED by capture/tools/gen_event_table.py from the TSV files in", 
           "// capture/src/test/resources/dev/stasis/capture/scap (TableTextTest compares them); do not edit.",
           "package dev.stasis.capture.scap;", "",
           "/** The driver's tables as text (see EventTable): each one the concatenation of its chunks. */",
           "final class TableText {", "    private TableText() {}"]
    for const, name in TABLES:
        text = open(os.path.join(tsv_dir, name)).read()
        chunks, cur = [], ""
        for line in text.splitlines(keepends=True):
            if len((cur + line).encode("utf-8")) > 60000:
                chunks.append(cur); cur = ""
            cur += line
        chunks.append(cur)
        out.append("")
        out.append(f"    /** {name} */")
        out.append(f"    static final String[] {const} = {{")
        for i, chunk in enumerate(chunks):
            lines = chunk.splitlines(keepends=True)
            for j, line in enumerate(lines):
                lead = "        " if j == 0 else "            + "
                out.append(lead + java_string(line) + ("," if j == len(lines) - 1 else ""))
        out.append("    };")
    out.append("}")
    open(java_file, "w").write("\n".join(out) + "\n")

if sys.argv[1] == "--java":
    java_tables(sys.argv[2], JAVA_FILE)
else:
    main()
    name_tables(sys.argv[1], sys.argv[2])
    java_tables(sys.argv[2], JAVA_FILE)
