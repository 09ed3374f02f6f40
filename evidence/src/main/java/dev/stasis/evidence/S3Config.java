package dev.stasis.evidence;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * S3-compatible storage for items. Credentials null means the AWS SDK's default
 * chain (environment, profile, instance role).
 *
 * @param endpoint      a non-AWS endpoint (MinIO, s3proxy, Ceph), or null for AWS
 * @param region        the region (any value for most non-AWS servers)
 * @param bucket        the bucket (must exist; with Object Lock it must have been created with it enabled)
 * @param prefix        key prefix inside the bucket ("" or ending in '/')
 * @param accessKey     access key id, or null for the default chain
 * @param secretKey     secret key, or null for the default chain
 * @param pathStyle     path-style addressing (needed by most non-AWS servers)
 * @param partSize      multipart upload part size in bytes (>= 5 MiB)
 * @param lockMode      Object Lock retention mode, {@code GOVERNANCE} or {@code COMPLIANCE}, or null for none
 * @param retention     how long retention lasts from the store, when {@code lockMode} is set
 * @param legalHold     put a legal hold on each archive and manifest
 * @param sse           server-side encryption: null, {@code AES256} or {@code aws:kms}
 * @param kmsKeyId      the KMS key for {@code aws:kms}, or null for the bucket's default key
 * @param readBack      after upload, read the object back and check its SHA-256 (the strongest check; costs a download)
 */
public record S3Config(
        URI endpoint,
        String region,
        String bucket,
        String prefix,
        String accessKey,
        String secretKey,
        boolean pathStyle,
        long partSize,
        String lockMode,
        Duration retention,
        boolean legalHold,
        String sse,
        String kmsKeyId,
        boolean readBack) {

    public static final long MIN_PART = 5L << 20;
    public static final long DEFAULT_PART = 64L << 20;

    public S3Config {
        Objects.requireNonNull(bucket, "bucket");
        region = region == null ? "us-east-1" : region;
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty() && !prefix.endsWith("/")) prefix = prefix + "/";
        if (partSize == 0) partSize = DEFAULT_PART;
        if (partSize < MIN_PART) throw new EvidenceException("S3 part size must be at least 5 MiB, not " + partSize);
        if (lockMode != null && !lockMode.equals("GOVERNANCE") && !lockMode.equals("COMPLIANCE"))
            throw new EvidenceException("S3 object lock mode must be GOVERNANCE or COMPLIANCE, not " + lockMode);
        if (lockMode != null && (retention == null || retention.isZero() || retention.isNegative()))
            throw new EvidenceException("S3 object lock mode " + lockMode + " needs a positive retention period");
        if (sse != null && !sse.equals("AES256") && !sse.equals("aws:kms"))
            throw new EvidenceException("S3 server-side encryption must be AES256 or aws:kms, not " + sse);
    }

    /** A bucket on an S3-compatible endpoint with static keys, path-style, read-back on, no lock, no SSE. */
    public static S3Config of(URI endpoint, String bucket, String accessKey, String secretKey) {
        return new S3Config(endpoint, null, bucket, "", accessKey, secretKey, true, 0, null, null, false, null, null, true);
    }

    public S3Config withPrefix(String p) {
        return new S3Config(endpoint, region, bucket, p, accessKey, secretKey, pathStyle, partSize, lockMode, retention, legalHold, sse, kmsKeyId, readBack);
    }

    public S3Config withPartSize(long bytes) {
        return new S3Config(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle, bytes, lockMode, retention, legalHold, sse, kmsKeyId, readBack);
    }

    public S3Config withObjectLock(String mode, Duration period, boolean hold) {
        return new S3Config(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle, partSize, mode, period, hold, sse, kmsKeyId, readBack);
    }

    public S3Config withSse(String algorithm, String kmsKey) {
        return new S3Config(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle, partSize, lockMode, retention, legalHold, algorithm, kmsKey, readBack);
    }

    public S3Config withReadBack(boolean on) {
        return new S3Config(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle, partSize, lockMode, retention, legalHold, sse, kmsKeyId, on);
    }

    /**
     * From the environment: {@code STASIS_S3_BUCKET} (required), {@code STASIS_S3_ENDPOINT},
     * {@code STASIS_S3_REGION}, {@code STASIS_S3_PREFIX}, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
     * (else the SDK's chain), {@code STASIS_S3_LOCK_MODE} + {@code STASIS_S3_RETENTION_DAYS},
     * {@code STASIS_S3_LEGAL_HOLD=1}, {@code STASIS_S3_SSE} (+ {@code STASIS_S3_KMS_KEY}). Null when no bucket is set.
     */
    public static S3Config fromEnvironment() {
        var env = System.getenv();
        String bucket = env.get("STASIS_S3_BUCKET");
        if (bucket == null || bucket.isBlank()) return null;
        String endpoint = env.get("STASIS_S3_ENDPOINT");
        String days = env.get("STASIS_S3_RETENTION_DAYS");
        return new S3Config(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
                env.get("STASIS_S3_REGION"), bucket, env.get("STASIS_S3_PREFIX"),
                env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"),
                endpoint != null && !endpoint.isBlank(), 0,
                env.get("STASIS_S3_LOCK_MODE"), days == null ? null : Duration.ofDays(Long.parseLong(days.strip())),
                "1".equals(env.get("STASIS_S3_LEGAL_HOLD")), env.get("STASIS_S3_SSE"), env.get("STASIS_S3_KMS_KEY"),
                !"0".equals(env.get("STASIS_S3_READ_BACK")));
    }
}
