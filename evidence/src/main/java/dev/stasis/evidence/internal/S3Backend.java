package dev.stasis.evidence.internal;

import dev.stasis.evidence.HashMismatchException;
import dev.stasis.evidence.ProgressListener;
import dev.stasis.evidence.S3Config;
import dev.stasis.evidence.StorageException;
import dev.stasis.evidence.StoreRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Items in an S3 bucket: {@code PREFIX objects/<sha256>} and {@code PREFIX manifests/<sha256>.json}.
 *
 * <p>The key of an object is its hash, so the hash must be known before the
 * upload starts: from the source's expected hash, or by reading a local file
 * once first, or (a stream with no expected hash) by spooling it into the
 * vault's private tmp directory. The bytes then go up as a multipart upload,
 * hashed again on the way; if they do not match, the upload is aborted and
 * never becomes an object. A multipart upload is invisible until it is
 * completed, so a crash (kill -9) mid-upload leaves no object (only an
 * incomplete upload, which a bucket lifecycle rule should expire). After
 * completion the object is read back and hashed when {@code readBack} is on.
 */
public final class S3Backend implements Backend {
    private final S3Config config;
    private final Path spoolDir;
    private final S3Client s3;

    public S3Backend(S3Config config, Path spoolDir) {
        this.config = config;
        this.spoolDir = spoolDir;
        var b = S3Client.builder()
                .region(Region.of(config.region()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build())
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofMinutes(10)))
                .credentialsProvider(config.accessKey() != null
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()))
                        : DefaultCredentialsProvider.builder().build());
        if (config.endpoint() != null) b.endpointOverride(config.endpoint());
        this.s3 = b.build();
    }

    @Override
    public Put put(StoreRequest.Source source, String expectedSha256, ProgressListener progress) {
        Path spool = null;
        try {
            StoreRequest.Source src = source;
            String sha = expectedSha256;
            if (sha == null && source instanceof StoreRequest.FileSource f) {
                try (InputStream in = f.open()) {
                    sha = new HashingCopy().copy(in, null, -1, ProgressListener.NONE).sha256();
                }
            } else if (sha == null) {
                SecureFiles.createPrivateDirectories(spoolDir);
                spool = spoolDir.resolve(UUID.randomUUID() + ".spool");
                HashingCopy c;
                try (InputStream in = source.open();
                     OutputStream out = Files.newOutputStream(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    c = new HashingCopy().copy(in, out, source.size(), ProgressListener.NONE);
                }
                sha = c.sha256();
                src = new StoreRequest.FileSource(spool);
            }
            if (exists(manifestKey(sha)) && exists(objectKey(sha))) {
                // Already stored: still read the whole source, to prove these bytes are the same bytes.
                HashingCopy c;
                try (InputStream in = src.open()) {
                    c = new HashingCopy().copy(in, null, src.size(), progress);
                }
                if (!c.sha256().equals(sha)) throw mismatch(sha, c);
                return new Put(sha, c.size(), c.head(), Map.of());
            }
            return upload(src, sha, progress);
        } catch (IOException e) {
            throw new StorageException("cannot read the archive to store: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw storageError("store into", e);
        } finally {
            if (spool != null) LocalBackend.deleteQuietly(spool);
        }
    }

    private Put upload(StoreRequest.Source src, String sha, ProgressListener progress) throws IOException {
        String key = objectKey(sha);
        var create = CreateMultipartUploadRequest.builder().bucket(config.bucket()).key(key)
                .contentType("application/octet-stream")
                .metadata(Map.of("sha256", sha));
        Instant retainUntil = null;
        if (config.lockMode() != null) {
            retainUntil = Instant.now().plus(config.retention());
            create.objectLockMode(ObjectLockMode.fromValue(config.lockMode())).objectLockRetainUntilDate(retainUntil);
        }
        if (config.legalHold()) create.objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON);
        if (config.sse() != null) {
            create.serverSideEncryption(ServerSideEncryption.fromValue(config.sse()));
            if (config.kmsKeyId() != null) create.ssekmsKeyId(config.kmsKeyId());
        }
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        boolean completed = false;
        try {
            HashingCopy copy = new HashingCopy();
            List<CompletedPart> parts = new ArrayList<>();
            long total = src.size();
            byte[] buf = new byte[(int) Math.min(config.partSize(), Integer.MAX_VALUE - 16)];
            try (InputStream in = src.open()) {
                int partNumber = 1;
                while (true) {
                    int n = in.readNBytes(buf, 0, buf.length);
                    if (n == 0 && partNumber > 1) break;
                    copy.update(buf, 0, n);
                    UploadPartResponse r = s3.uploadPart(p -> p.bucket(config.bucket()).key(key).uploadId(uploadId)
                            .partNumber(parts.size() + 1).contentLength((long) n), RequestBody.fromRemainingByteBuffer(java.nio.ByteBuffer.wrap(buf, 0, n)));
                    parts.add(CompletedPart.builder().partNumber(parts.size() + 1).eTag(r.eTag()).build());
                    partNumber++;
                    progress.progress(copy.size(), total);
                    if (n < buf.length) break;
                }
            }
            if (!copy.sha256().equals(sha)) throw mismatch(sha, copy);
            CompleteMultipartUploadResponse done = s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                    .bucket(config.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
            completed = true;
            HeadObjectResponse head = s3.headObject(h -> h.bucket(config.bucket()).key(key));
            if (head.contentLength() != copy.size())
                throw new StorageException("S3 reports " + head.contentLength() + " bytes for " + key + " after upload, " + copy.size() + " were sent");
            if (config.readBack()) {
                HashingCopy back;
                try (InputStream in = s3.getObject(g -> g.bucket(config.bucket()).key(key))) {
                    back = new HashingCopy().copy(in, null, copy.size(), ProgressListener.NONE);
                }
                if (!back.sha256().equals(sha))
                    throw new StorageException("the object " + key + " read back from S3 hashes to " + back.sha256() + ", not " + sha + "; the item was not made visible");
            }
            Map<String, String> storage = new LinkedHashMap<>();
            storage.put("bucket", config.bucket());
            storage.put("key", key);
            if (done.versionId() != null) storage.put("versionId", done.versionId());
            if (done.eTag() != null) storage.put("etag", done.eTag());
            storage.put("parts", Integer.toString(parts.size()));
            storage.put("readBack", Boolean.toString(config.readBack()));
            if (config.lockMode() != null) {
                storage.put("objectLockMode", config.lockMode());
                storage.put("objectLockRetainUntil", retainUntil.toString());
            }
            if (config.legalHold()) storage.put("legalHold", "ON");
            if (config.sse() != null) storage.put("sse", config.sse());
            return new Put(sha, copy.size(), copy.head(), storage);
        } finally {
            if (!completed) {
                try {
                    s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(config.bucket()).key(key).uploadId(uploadId).build());
                } catch (SdkException ignored) {
                    // an incomplete upload is invisible; a lifecycle rule expires it
                }
            }
        }
    }

    private static HashMismatchException mismatch(String expected, HashingCopy c) {
        return new HashMismatchException("the bytes received hash to " + c.sha256() + " but the source said " + expected
                + " (" + c.size() + " bytes); nothing was stored", expected, c.sha256());
    }

    @Override
    public Optional<byte[]> readManifest(String id) {
        try {
            return Optional.of(s3.getObjectAsBytes(g -> g.bucket(config.bucket()).key(manifestKey(id))).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw storageError("read the manifest of " + id + " from", e);
        }
    }

    @Override
    public void writeManifest(String id, byte[] bytes) {
        // A single PUT is atomic in S3: readers see the old manifest or the new one, never a mix.
        var put = PutObjectRequest.builder().bucket(config.bucket()).key(manifestKey(id)).contentType("application/json");
        if (config.lockMode() != null)
            put.objectLockMode(ObjectLockMode.fromValue(config.lockMode())).objectLockRetainUntilDate(Instant.now().plus(config.retention()));
        if (config.legalHold()) put.objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON);
        if (config.sse() != null) {
            put.serverSideEncryption(ServerSideEncryption.fromValue(config.sse()));
            if (config.kmsKeyId() != null) put.ssekmsKeyId(config.kmsKeyId());
        }
        try {
            PutObjectResponse ignored = s3.putObject(put.build(), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw storageError("write the manifest of " + id + " to", e);
        }
    }

    @Override
    public void deleteManifest(String id) {
        try {
            s3.deleteObject(d -> d.bucket(config.bucket()).key(manifestKey(id)));
        } catch (SdkException e) {
            throw storageError("remove the manifest of " + id + " from", e);
        }
    }

    @Override
    public List<String> manifestIds() {
        List<String> ids = new ArrayList<>();
        String prefix = config.prefix() + "manifests/";
        try {
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(config.bucket()).prefix(prefix).build()).contents()) {
                String k = o.key().substring(prefix.length());
                if (k.endsWith(".json") && k.length() == 69) ids.add(k.substring(0, 64));
            }
        } catch (SdkException e) {
            throw storageError("list", e);
        }
        return ids;
    }

    @Override
    public InputStream openObject(String id) {
        try {
            return s3.getObject(g -> g.bucket(config.bucket()).key(objectKey(id)));
        } catch (NoSuchKeyException e) {
            throw new StorageException("the archive bytes of " + id + " are missing from " + location(id));
        } catch (SdkException e) {
            throw storageError("read " + id + " from", e);
        }
    }

    @Override
    public boolean hasObject(String id) {
        try {
            return exists(objectKey(id));
        } catch (SdkException e) {
            throw storageError("look up " + id + " in", e);
        }
    }

    private boolean exists(String key) {
        try {
            s3.headObject(h -> h.bucket(config.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return false;
            throw e;
        }
    }

    @Override
    public String location(String id) {
        return "s3://" + config.bucket() + "/" + objectKey(id);
    }

    @Override
    public String describe() {
        return "s3://" + config.bucket() + "/" + config.prefix() + (config.endpoint() == null ? "" : " at " + config.endpoint());
    }

    private StorageException storageError(String what, SdkException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SdkClientException) why = "unreachable or failing (" + why + ")";
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null) {
            why = s3e.awsErrorDetails().errorMessage() + " (HTTP " + s3e.statusCode() + " " + s3e.awsErrorDetails().errorCode() + ")";
            if (s3e.statusCode() == 501 && (config.lockMode() != null || config.legalHold() || config.sse() != null))
                why += "; the server does not implement the Object Lock or encryption settings configured, so nothing was stored without them";
        }
        return new StorageException("cannot " + what + " " + describe() + ": " + why.replaceAll("\\s*[\\r\\n]+\\s*", " "), e);
    }

    String objectKey(String sha) {
        return config.prefix() + "objects/" + sha;
    }

    String manifestKey(String sha) {
        return config.prefix() + "manifests/" + sha + ".json";
    }

    @Override
    public void close() {
        s3.close();
    }
}
