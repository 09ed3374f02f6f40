package dev.stasis.evidence;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** s3proxy, a real S3 server, in this JVM on 127.0.0.1 with an in-memory blob store. */
final class S3Server implements AutoCloseable {
    static final String ACCESS = "stasis-access";
    static final String SECRET = "stasis-secret-key";

    private final S3Proxy proxy;
    final URI endpoint;

    S3Server() throws Exception {
        Properties props = new Properties();
        var store = BlobStores.create("transient", props);
        proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) Thread.sleep(25);
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    S3Client client() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build();
    }

    S3Config bucket(String name) {
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(name));
        }
        return S3Config.of(endpoint, name, ACCESS, SECRET).withPartSize(S3Config.MIN_PART);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
