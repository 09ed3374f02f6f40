package dev.stasis.capture.filter;

/**
 * The fields stasis implements, with libsinsp's names and meanings (the
 * filterchecks in userspace/libsinsp), one class per family. A field that cannot
 * be read on an event yields null, which sysdig prints as {@code <NA>} and which
 * fails every check but {@code not}.
 */
final class StandardFields {
    private StandardFields() {}

    static void register(FieldRegistry r) {
        EventFields.register(r);
        ProcessFields.register(r);
        FdFields.register(r);
        ContainerFields.register(r);
    }
}
