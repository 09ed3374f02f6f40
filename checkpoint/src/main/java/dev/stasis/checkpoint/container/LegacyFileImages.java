package dev.stasis.checkpoint.container;

import dev.stasis.checkpoint.criu.ImageEntry;
import dev.stasis.checkpoint.criu.images.Fdinfo;
import dev.stasis.checkpoint.criu.images.Pipe;
import dev.stasis.checkpoint.criu.images.Regfile;
import dev.stasis.checkpoint.criu.images.SkInet;
import dev.stasis.checkpoint.criu.images.SkUnix;
import java.util.Map;

/**
 * CRIU before 3.x wrote one image per file kind (reg-files.img, inetsk.img, unixsk.img, pipes.img)
 * instead of files.img; they are folded into the same table so old dumps read alike.
 */
final class LegacyFileImages {
    private LegacyFileImages() {}

    static void addTo(CheckpointImages images, Map<Long, Fdinfo.file_entry> files) {
        images.optional("reg-files.img").ifPresent(img -> {
            for (ImageEntry e : img.entries()) {
                if (e.message() instanceof Regfile.reg_file_entry r) {
                    files.putIfAbsent(Integer.toUnsignedLong(r.getId()), Fdinfo.file_entry.newBuilder()
                            .setType(Fdinfo.fd_types.REG).setId(r.getId()).setReg(r).buildPartial());
                }
            }
        });
        images.optional("inetsk.img").ifPresent(img -> {
            for (ImageEntry e : img.entries()) {
                if (e.message() instanceof SkInet.inet_sk_entry s) {
                    files.putIfAbsent(Integer.toUnsignedLong(s.getId()), Fdinfo.file_entry.newBuilder()
                            .setType(Fdinfo.fd_types.INETSK).setId(s.getId()).setIsk(s).buildPartial());
                }
            }
        });
        images.optional("unixsk.img").ifPresent(img -> {
            for (ImageEntry e : img.entries()) {
                if (e.message() instanceof SkUnix.unix_sk_entry s) {
                    files.putIfAbsent(Integer.toUnsignedLong(s.getId()), Fdinfo.file_entry.newBuilder()
                            .setType(Fdinfo.fd_types.UNIXSK).setId(s.getId()).setUsk(s).buildPartial());
                }
            }
        });
        images.optional("pipes.img").ifPresent(img -> {
            for (ImageEntry e : img.entries()) {
                if (e.message() instanceof Pipe.pipe_entry p) {
                    files.putIfAbsent(Integer.toUnsignedLong(p.getId()), Fdinfo.file_entry.newBuilder()
                            .setType(Fdinfo.fd_types.PIPE).setId(p.getId()).setPipe(p).buildPartial());
                }
            }
        });
    }
}
