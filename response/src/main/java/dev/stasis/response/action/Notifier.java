package dev.stasis.response.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Posts a Slack-compatible message ({@code {"text": ...}}) to an incoming-webhook URL. */
public final class Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;

    public Notifier(HttpClient http) {
        this.http = http;
    }

    public void send(String url, String text, String channel, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        if (channel != null) body.put("channel", channel);
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    // receivers that deduplicate can use it; Slack ignores it
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2)
                throw new ActionException("notify webhook " + URI.create(url).getHost() + " answered " + r.statusCode(), r.statusCode() >= 500 || r.statusCode() == 429);
        } catch (IOException e) {
            throw new ActionException("cannot reach the notify webhook " + URI.create(url).getHost() + ": " + e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("interrupted while notifying", true);
        }
    }
}
