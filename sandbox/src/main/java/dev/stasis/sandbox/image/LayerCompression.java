package dev.stasis.sandbox.image;

/** How the layer blob is stored. gzip is what buildah and podman push by default and every runtime reads. */
public enum LayerCompression {
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    NONE("application/vnd.oci.image.layer.v1.tar");

    private final String mediaType;

    LayerCompression(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }
}
