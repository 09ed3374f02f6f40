package dev.stasis.sandbox.image;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * Pushes to a registry. The layer is sent while it is written, in chunks (PATCH) of
 * {@link #CHUNK} bytes, and closed with the digest taken on the way; config and manifest are
 * small and go in one request each. The manifest goes last: until then the registry holds
 * only unreferenced blobs, which it collects, so a failed push leaves no tag behind.
 */
final class RegistrySink implements ImageSink {
    static final int CHUNK = 8 << 20;

    private final RegistryClient client;
    private final int chunk;
    private URI upload;
    private byte[] buffer;
    private int buffered;
    private long sent;

    RegistrySink(ImageTarget.Registry target, int chunk) {
        this.client = new RegistryClient(target);
        this.chunk = chunk;
        client.check();
    }

    @Override
    public OutputStream layer() {
        upload = client.startUpload();
        buffer = new byte[chunk];
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                while (len > 0) {
                    int n = Math.min(len, buffer.length - buffered);
                    System.arraycopy(b, off, buffer, buffered, n);
                    buffered += n;
                    off += n;
                    len -= n;
                    if (buffered == buffer.length) {
                        upload = client.patch(upload, buffer, buffered, sent);
                        sent += buffered;
                        buffered = 0;
                    }
                }
            }
        };
    }

    @Override
    public void layerDone(String digest, long size) {
        client.finish(upload, digest, buffer, buffered);
        upload = null;
        buffer = null;
    }

    @Override
    public void blob(String digest, byte[] data) {
        client.putBlob(digest, data);
    }

    @Override
    public String manifest(String digest, byte[] manifest, String tag, java.util.Map<String, String> annotations) {
        return client.putManifest(tag, manifest, CheckpointImage.MANIFEST_MEDIA_TYPE);
    }

    @Override
    public void commit() throws IOException {
        // the manifest PUT was the commit
    }

    @Override
    public void abort() {
        if (upload != null) client.cancel(upload);
    }
}
