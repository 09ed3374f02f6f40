/**
 * The sysdig/Falco filter language and field formats.
 *
 * <pre>
 * Filter f = Filter.compile("evt.type in (open, openat) and fd.name pmatch (/etc)");  // FilterException: one line, "at column N"
 * OutputFormat p = OutputFormat.compile("*%evt.num %proc.name %fd.name");             // sysdig -p
 * try (CaptureReader r = CaptureReader.open(path)) {
 *     r.forEachVisible(e -> {
 *         EventView v = ScapEventView.of(e);          // valid until the reader moves on
 *         if (f.matches(v)) System.out.println(p.format(v));  // format() is null when a field is missing and there is no '*'
 *     });
 * }
 * </pre>
 *
 * {@link dev.stasis.capture.filter.FilterParser} parses to an {@link dev.stasis.capture.filter.Expr}
 * tree (libsinsp's grammar); {@link dev.stasis.capture.filter.FieldRegistry#standard()} holds the
 * fields ({@code evt.* proc.* thread.* user.* group.* fd.* container.* k8s.*}), each reading an
 * {@link dev.stasis.capture.filter.EventView}. Comparisons follow libsinsp: the right-hand side is
 * parsed into the field's type when compiling (numbers, IPs, CIDR networks, hex for bcontains).
 */
package dev.stasis.capture.filter;
