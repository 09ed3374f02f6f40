package dev.stasis.checkpoint.criu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.checkpoint.criu.images.Pagemap.pagemap_entry;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Page runs against CRIU's rules, old and new image formats alike. The
 * expectations restate criu/pagemap.c: {@code init_compat_pagemap_entry}
 * (in_parent adds PE_PARENT; no flags and not in_parent means PE_PRESENT),
 * {@code pagemap_present} (the PE_PRESENT bit alone decides) and the page
 * reader's {@code advance}, which moves through pages-N.img by the size of
 * present entries only; lazy and parent pages take no room there.
 */
class PagemapRunsProperties {
    /** One generated entry and what CRIU makes of it. */
    record Case(pagemap_entry entry, boolean present, boolean parent, boolean lazy) {}

    @Property(tries = 500)
    void runsFollowCriu(@ForAll("entries") List<Case> cases) {
        List<PageRun> runs = Pagemaps.runs(cases.stream().map(Case::entry).toList());
        assertThat(runs).hasSameSizeAs(cases);
        long offset = 0;
        for (int i = 0; i < runs.size(); i++) {
            PageRun r = runs.get(i);
            Case c = cases.get(i);
            long pages = c.entry().hasNrPages() && c.entry().getNrPages() != 0 ? c.entry().getNrPages() : c.entry().getCompatNrPages();
            assertThat(r.pages()).isEqualTo(pages);
            assertThat(r.present()).as("entry %d present", i).isEqualTo(c.present());
            assertThat((r.flags() & Pagemaps.PE_PARENT) != 0).as("entry %d parent bit", i).isEqualTo(c.parent());
            assertThat((r.flags() & Pagemaps.PE_LAZY) != 0).as("entry %d lazy bit", i).isEqualTo(c.lazy());
            assertThat(r.fileOffset()).as("entry %d offset", i).isEqualTo(c.present() ? offset : -1);
            if (c.present()) offset += pages * PageRun.PAGE_SIZE;
        }
    }

    @Provide
    Arbitrary<List<Case>> entries() {
        Arbitrary<Case> oldFormat = Combinators.combine(Arbitraries.integers().between(1, 64), Arbitraries.of(true, false))
                .as((n, inParent) -> {
                    pagemap_entry.Builder b = pagemap_entry.newBuilder().setCompatNrPages(n);
                    if (inParent) b.setInParent(true);
                    return new Case(b.setVaddr(0).build(), !inParent, inParent, false);
                });
        // CRIU >= 4.2: nr_pages, compat 0, flags any of PE_PARENT | PE_LAZY | PE_PRESENT
        Arbitrary<Case> newFormat = Combinators.combine(Arbitraries.integers().between(1, 64), Arbitraries.integers().between(0, 7))
                .as((n, flags) -> new Case(pagemap_entry.newBuilder().setVaddr(0).setCompatNrPages(0).setNrPages(n).setFlags(flags).build(),
                        (flags & 4) != 0, (flags & 1) != 0, (flags & 2) != 0));
        // a 3.x CRIU that wrote flags and also in_parent for parent pages
        Arbitrary<Case> both = Arbitraries.integers().between(1, 64)
                .map(n -> new Case(pagemap_entry.newBuilder().setVaddr(0).setCompatNrPages(n).setInParent(true).setFlags(Pagemaps.PE_PARENT).build(),
                        false, true, false));
        return Arbitraries.oneOf(oldFormat, newFormat, both).list().ofMaxSize(20).map(PagemapRunsProperties::laidOut);
    }

    /** Consecutive addresses, as CRIU writes them. */
    private static List<Case> laidOut(List<Case> cases) {
        List<Case> out = new ArrayList<>();
        long vaddr = 0x7f0000000000L;
        for (Case c : cases) {
            pagemap_entry e = c.entry().toBuilder().setVaddr(vaddr).build();
            out.add(new Case(e, c.present(), c.parent(), c.lazy()));
            vaddr += (Pagemaps.pageCount(e) + 1) * PageRun.PAGE_SIZE;
        }
        return out;
    }
}
