package dev.stasis.sandbox.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The part of the OCI distribution API a push needs, on the JDK's HTTP client: the API check
 * ({@code GET /v2/}), blob existence ({@code HEAD}), blob uploads (POST, then PATCH chunks, then
 * the closing PUT with the digest), and the manifest PUT. Authentication follows the
 * registry's challenge: HTTP Basic, or a Bearer token from the realm it names (Docker's token
 * protocol), with the login from the auth files when there is one.
 */
final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient http;
    private final ImageTarget.Registry target;
    private final URI base;
    private final String repository;
    private String authorization;
    private String lastChallenge;

    RegistryClient(ImageTarget.Registry target) {
        this.target = target;
        this.repository = target.ref().repository();
        this.base = URI.create((target.tls() ? "https" : "http") + "://" + target.ref().apiHost() + "/v2/");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** {@code GET /v2/}: is there a registry, and may we talk to it? Fails before anything is uploaded. */
    void check() {
        HttpResponse<byte[]> r = send("check", () -> HttpRequest.newBuilder(base).GET());
        expect(r, "check the API of", 200);
    }

    boolean hasBlob(String digest) {
        HttpResponse<byte[]> r = send("look for a blob in", () -> HttpRequest.newBuilder(repo("blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        return r.statusCode() == 200;
    }

    /** Starts an upload session; returns its location. */
    URI startUpload() {
        HttpResponse<byte[]> r = send("start an upload to", () -> HttpRequest.newBuilder(repo("blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(r, "start an upload to", 202);
        return location(r);
    }

    /** Sends one chunk at this offset; returns the location for the next request. */
    URI patch(URI location, byte[] data, int length, long offset) {
        HttpResponse<byte[]> r = send("upload to", () -> HttpRequest.newBuilder(location)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", offset + "-" + (offset + length - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data, 0, length)));
        expect(r, "upload to", 202);
        return location(r);
    }

    /** Closes an upload with its last bytes (possibly none) and the digest of the whole blob. */
    void finish(URI location, String digest, byte[] data, int length) {
        String sep = location.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(location + sep + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = send("upload to", () -> HttpRequest.newBuilder(put)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data, 0, length)));
        expect(r, "finish an upload to", 201);
    }

    /** Best effort: drops an unfinished upload session. */
    void cancel(URI location) {
        try {
            send("cancel an upload to", () -> HttpRequest.newBuilder(location).DELETE());
        } catch (RuntimeException ignored) {
            // the registry expires abandoned sessions on its own
        }
    }

    /** Puts a monolithic blob unless the registry has it already. */
    void putBlob(String digest, byte[] data) {
        if (hasBlob(digest)) return;
        finish(startUpload(), digest, data, data.length);
    }

    /** {@code PUT /v2/REPO/manifests/TAG}; returns the digest the registry reports. */
    String putManifest(String tag, byte[] manifest, String mediaType) {
        HttpResponse<byte[]> r = send("store the manifest in", () -> HttpRequest.newBuilder(repo("manifests/" + tag))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        expect(r, "store the manifest in", 201);
        return r.headers().firstValue("Docker-Content-Digest").orElse(HashingOutputStream.digest(manifest));
    }

    private URI repo(String rest) {
        return base.resolve(repository + "/" + rest);
    }

    private URI location(HttpResponse<byte[]> r) {
        String loc = r.headers().firstValue("Location")
                .orElseThrow(() -> new ImageException.Registry("registry " + target.ref().registry() + " gave no upload location", r.statusCode(), null));
        return r.uri().resolve(loc);
    }

    /** Sends, answering one authentication challenge per distinct challenge. */
    private HttpResponse<byte[]> send(String what, Supplier<HttpRequest.Builder> request) {
        HttpResponse<byte[]> r = raw(what, request);
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            if (!challenge.equals(lastChallenge)) {
                lastChallenge = challenge;
                authorization = authenticate(challenge);
                r = raw(what, request);
            }
            if (r.statusCode() == 401) {
                throw new ImageException.Registry("registry " + target.ref().registry() + " refused the login"
                        + (target.credentials().lookup(target.ref().registry()).isEmpty() ? " (no credentials for it in the auth files)" : ""), 401, null);
            }
        }
        return r;
    }

    private HttpResponse<byte[]> raw(String what, Supplier<HttpRequest.Builder> request) {
        HttpRequest.Builder b = request.get().timeout(Duration.ofMinutes(5)).header("User-Agent", "stasis");
        if (authorization != null) b.header("Authorization", authorization);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException.Registry("interrupted while talking to " + target.ref().registry(), 0, e);
        }
    }

    private ImageException.Registry unreachable(String what, IOException e) {
        String host = target.ref().apiHost();
        String why;
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) why = "cannot reach registry " + host + " (connection refused)";
        else if (e instanceof HttpConnectTimeoutException) why = "cannot reach registry " + host + " (connect timed out)";
        else if (e instanceof HttpTimeoutException) why = "registry " + host + " did not answer in time";
        else if (e instanceof SSLException || e.getCause() instanceof SSLException)
            why = "TLS with registry " + host + " failed (" + e.getMessage() + "); for a plain-http registry use --tls-verify=false";
        else why = "cannot " + what + " registry " + host + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        return new ImageException.Registry(why, 0, e);
    }

    private String authenticate(String challenge) {
        Optional<RegistryCredentials.Login> login = target.credentials().lookup(target.ref().registry());
        String scheme = challenge.isBlank() ? "" : challenge.strip().split("\\s+", 2)[0];
        if (scheme.equalsIgnoreCase("Basic")) return login.map(RegistryClient::basic).orElse(null);
        if (!scheme.equalsIgnoreCase("Bearer")) return null;
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) p.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        String realm = p.get("realm");
        if (realm == null) throw new ImageException.Registry("registry " + target.ref().registry() + " asked for a token but named no realm", 401, null);
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (p.containsKey("service")) q.append("service=").append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8)).append('&');
        String scope = "repository:" + repository + ":pull,push";
        q.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(q.toString())).GET().timeout(Duration.ofMinutes(1));
        login.ifPresent(l -> b.header("Authorization", basic(l)));
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable("get a token for", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException.Registry("interrupted while getting a token", 0, e);
        }
        if (r.statusCode() != 200) throw new ImageException.Registry("token service " + URI.create(realm).getHost() + " refused: HTTP " + r.statusCode(), r.statusCode(), null);
        try {
            JsonNode t = JSON.readTree(r.body());
            String token = t.path("token").asText(t.path("access_token").asText(""));
            if (token.isEmpty()) throw new ImageException.Registry("token service " + URI.create(realm).getHost() + " returned no token", r.statusCode(), null);
            return "Bearer " + token;
        } catch (IOException e) {
            throw new ImageException.Registry("token service " + URI.create(realm).getHost() + " returned something that is not JSON", r.statusCode(), e);
        }
    }

    private static String basic(RegistryCredentials.Login l) {
        return "Basic " + Base64.getEncoder().encodeToString((l.user() + ":" + l.password()).getBytes(StandardCharsets.UTF_8));
    }

    /** The distribution spec's status for this step; 200 is also taken where some registries answer it for 201 and 202. */
    private void expect(HttpResponse<byte[]> r, String what, int status) {
        if (r.statusCode() == status || (status != 200 && r.statusCode() == 200 && !what.startsWith("check"))) return;
        String detail = "";
        try {
            JsonNode errors = JSON.readTree(r.body()).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                JsonNode e = errors.get(0);
                detail = ": " + e.path("code").asText("") + " " + e.path("message").asText("");
            }
        } catch (IOException | RuntimeException ignored) {
            // not a registry error document; the status says enough
        }
        if (r.statusCode() == 404 && what.startsWith("check")) detail = ": no OCI distribution API at " + base;
        throw new ImageException.Registry("registry " + target.ref().registry() + " refused to " + what + " " + repository + ": HTTP " + r.statusCode() + detail.stripTrailing(), r.statusCode(), null);
    }
}
