package dev.stasis.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.CustodyRecord;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.cases.CaseStore;
import dev.stasis.testsupport.GroundTruth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workbench over plain HTTP: its security (CSP, CSRF, Host, tokens) and what it records and counts. */
class WorkbenchHttpTest {
    @TempDir
    static Path tmp;
    static Lab lab;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws IOException {
        lab = new Lab(tmp);
        lab.start();
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(lab.uri(path)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(lab.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) b.header("Cookie", cookie);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String csrfCookie(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("stasis_csrf=")).findFirst().orElseThrow();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void everyPageCarriesAStrictCspAndNoInlineScriptOrStyle() throws Exception {
        for (String path : List.of("/cases", "/cases/" + Lab.CASE, "/items", "/items/" + lab.checkpoint, "/items/" + lab.capture + "/events",
                "/items/" + lab.capture + "/timeline", "/items/" + lab.capture + "/rules", "/response", "/nowhere")) {
            HttpResponse<String> r = get(path);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(path).contains("default-src 'self'").contains("script-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.body()).as(path).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain(" style=").doesNotContain("onclick=")
                    .doesNotContain("http://").doesNotContain("https://");
        }
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void theCsrfCookieIsSameSiteStrictAndEveryPostNeedsItsToken() throws Exception {
        HttpResponse<String> page = get("/cases/" + Lab.CASE);
        String setCookie = csrfCookie(page);
        assertThat(setCookie).contains("SameSite=Strict").contains("HttpOnly");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String token = cookie.substring("stasis_csrf=".length());
        // the token is in the page's forms
        assertThat(page.body()).contains("name=\"csrf\" value=\"" + token + "\"");

        assertThat(post("/cases/" + Lab.CASE + "/notes", null, "body=no+token").statusCode()).isEqualTo(403);
        assertThat(post("/cases/" + Lab.CASE + "/notes", cookie, "body=wrong&csrf=" + "x".repeat(43)).statusCode()).isEqualTo(403);
        HttpResponse<String> crossSite = HTTP.send(HttpRequest.newBuilder(lab.uri("/cases/" + Lab.CASE + "/notes"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie).header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("body=x&csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(crossSite.statusCode()).isEqualTo(403);

        HttpResponse<String> ok = post("/cases/" + Lab.CASE + "/notes", cookie, "body=" + enc("pod evicted at 10:02") + "&csrf=" + token);
        assertThat(ok.statusCode()).isEqualTo(303);
        try (CaseStore cases = CaseStore.open(CaseStore.sqlite(lab.vaultConfig.caseDatabase()))) {
            var notes = cases.show(Lab.CASE).notes();
            assertThat(notes).anySatisfy(n -> {
                assertThat(n.body()).isEqualTo("pod evicted at 10:02");
                assertThat(n.addedBy()).isEqualTo("local-analyst");
            });
            assertThat(notes).noneMatch(n -> n.body().equals("no token") || n.body().equals("wrong") || n.body().equals("x"));
        }
    }

    @Test
    void aForeignHostHeaderIsRefusedOnLoopback() throws Exception {
        // a DNS-rebinding page reaches the port with its own host name
        URI u = lab.uri("/cases");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /cases HTTP/1.1\r\nHost: rebind.evil.example:" + u.getPort() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            assertThat(status).startsWith("HTTP/1.1 421");
        }
    }

    @Test
    void aNonLoopbackAddressNeedsABearerToken() throws Exception {
        InetSocketAddress any = new InetSocketAddress("0.0.0.0", 0);
        assertThatThrownBy(() -> Workbench.start(lab.config(any, null))).isInstanceOf(WorkbenchException.class)
                .hasMessageContaining("not loopback").hasMessageContaining("bearer token");
        assertThatThrownBy(() -> Workbench.start(lab.config(any, "short"))).isInstanceOf(WorkbenchException.class).hasMessageContaining("too short");
        String token = "s3cret-token-for-the-lab-0123456789";
        try (Workbench wb = Workbench.start(lab.config(any, token))) {
            URI base = URI.create("http://127.0.0.1:" + wb.uri().getPort() + "/");
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(base.resolve("/cases")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(303);
            assertThat(anonymous.headers().firstValue("Location")).hasValue("/login");
            HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(base.resolve("/items")).header("Authorization", "Bearer nope-nope-nope-nope").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(303);
            HttpResponse<String> withToken = HTTP.send(HttpRequest.newBuilder(base.resolve("/items")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withToken.statusCode()).isEqualTo(200);
            assertThat(withToken.body()).contains(lab.checkpoint.substring(0, 12));
            // a POST with the token acts as the token's subject in the custody log
            String cookie = csrfCookie(withToken);
            String csrf = cookie.substring("stasis_csrf=".length(), cookie.indexOf(';'));
            HttpResponse<String> verify = HTTP.send(HttpRequest.newBuilder(base.resolve("/items/" + lab.capture + "/verify"))
                    .header("Authorization", "Bearer " + token).header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(verify.statusCode()).isEqualTo(303);
            try (Vault v = Vault.openExisting(lab.vaultConfig)) {
                CustodyRecord last = v.custody().records().getLast();
                assertThat(last.action()).isEqualTo(CustodyAction.VERIFY);
                assertThat(last.item()).isEqualTo(lab.capture);
                assertThat(last.who()).isEqualTo("ticket-bot");
                assertThat(last.via()).isEqualTo("stasis-ui");
            }
        }
    }

    @Test
    void theEventCountOfAFilterIsSysdigs() throws Exception {
        GroundTruth.require(Files.isExecutable(Path.of("/usr/bin/sysdig")), "sysdig (apt-get install sysdig) reads the capture as the reference");
        for (String filter : List.of("evt.type=openat", "proc.name=bash and evt.dir=<", "")) {
            Process p = new ProcessBuilder(filter.isEmpty() ? List.of("sysdig", "-r", lab.captureFile.toString(), "-p", "%evt.num")
                    : List.of("sysdig", "-r", lab.captureFile.toString(), "-p", "%evt.num", filter)).redirectErrorStream(false).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(p.waitFor()).isZero();
            HttpResponse<String> page = get("/items/" + lab.capture + "/events?f=" + enc(filter));
            // the view is built in the background: a page shows "at least N" until the pass is over
            for (int i = 0; i < 120 && page.body().contains("indexing"); i++) {
                Thread.sleep(500);
                page = get("/items/" + lab.capture + "/events?f=" + enc(filter));
            }
            assertThat(page.statusCode()).isEqualTo(200);
            Matcher m = Pattern.compile("id=\"event-count\">(\\d+) event").matcher(page.body());
            assertThat(m.find()).as(filter + ": " + page.body()).isTrue();
            assertThat(Long.parseLong(m.group(1))).as(filter).isEqualTo(lines.size());
            // the first row is sysdig's first selected event
            if (!lines.isEmpty()) assertThat(page.body()).contains("\">" + lines.getFirst() + "</a></td>");
            if (lines.size() > 120) {
                // a later page starts where sysdig's 51st and 101st selected events are, and the last page ends with its last
                assertThat(get("/items/" + lab.capture + "/events?f=" + enc(filter) + "&page=1").body()).contains("\">" + lines.get(50) + "</a></td>");
                assertThat(get("/items/" + lab.capture + "/events?f=" + enc(filter) + "&page=2").body()).contains("\">" + lines.get(100) + "</a></td>");
                String last = get("/items/" + lab.capture + "/events?f=" + enc(filter) + "&page=" + ((lines.size() - 1) / 50)).body();
                assertThat(last).contains("\">" + lines.getLast() + "</a></td>").doesNotContain("rel=\"next\"");
            }
        }
    }

    @Test
    void theExecTimelineListsSysdigsSuccessfulExecsEachLinkedToItsEvent() throws Exception {
        GroundTruth.require(Files.isExecutable(Path.of("/usr/bin/sysdig")), "sysdig (apt-get install sysdig) reads the capture as the reference");
        Process p = new ProcessBuilder("sysdig", "-r", lab.captureFile.toString(), "-p", "%evt.num %proc.exepath",
                "(evt.type=execve or evt.type=execveat) and evt.dir=< and evt.rawres=0").start();
        List<String> execs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor()).isZero();
        assertThat(execs).as("the lab capture runs something").isNotEmpty();
        assertThat(get("/items/" + lab.capture).body()).contains("href=\"/items/" + lab.capture + "/timeline\"");
        HttpResponse<String> page = get("/items/" + lab.capture + "/timeline");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("<li class=\"kind-exec\">.*?data-num=\"(\\d+)\" href=\"([^\"]+)\"").matcher(page.body());
        List<String> nums = new java.util.ArrayList<>(), links = new java.util.ArrayList<>();
        while (m.find()) {
            nums.add(m.group(1));
            links.add(m.group(2).replace("&amp;", "&"));
        }
        assertThat(nums).containsExactlyInAnyOrderElementsOf(execs.stream().map(l -> l.substring(0, l.indexOf(' '))).toList());
        assertThat(page.body()).contains("process(es), " + execs.size() + " exec(s)");
        for (String exec : execs) assertThat(page.body()).contains(exec.substring(exec.indexOf(' ') + 1));
        // each link opens that event's pane in the table: the pane shows sysdig's evt.num
        for (int i = 0; i < links.size(); i++) {
            String event = get(links.get(i)).body();
            assertThat(links.get(i)).contains("&sel=");
            assertThat(event).contains("<h2>Event " + nums.get(i) + "</h2>");
        }
    }

    @Test
    void falcoRuleHitsAreTheEventsSysdigSelectsWithTheRulesConditionsEachLinkedToItsEvent() throws Exception {
        GroundTruth.require(Files.isExecutable(Path.of("/usr/bin/sysdig")), "sysdig (apt-get install sysdig) reads the capture as the reference");
        assertThat(get("/items/" + lab.capture).body()).contains("href=\"/items/" + lab.capture + "/rules\"");
        HttpResponse<String> page = get("/items/" + lab.capture + "/rules");
        assertThat(page.statusCode()).isEqualTo(200);
        java.util.Map<String, List<String>> byRule = new java.util.HashMap<>();
        java.util.Map<String, String> links = new java.util.HashMap<>();
        Matcher m = Pattern.compile("<tr class=\"hit\"><td class=\"num\"><a class=\"evt\" data-num=\"(\\d+)\" href=\"([^\"]+)\">.*?<td>([^<]+)</td><td>([^<]+)</td>")
                .matcher(page.body());
        while (m.find()) {
            byRule.computeIfAbsent(m.group(4), k -> new java.util.ArrayList<>()).add(m.group(1));
            links.put(m.group(1), m.group(2).replace("&amp;", "&"));
        }
        // the rules' conditions are sysdig filters: sysdig says which events each one hits
        java.util.Map<String, String> conditions = java.util.Map.of(
                "Lab exec", "evt.type in (execve, execveat) and evt.dir=< and evt.rawres=0",
                "Lab terminal write", "evt.type=write and evt.dir=< and fd.name startswith /dev/pts/");
        long total = 0;
        for (var c : conditions.entrySet()) {
            Process p = new ProcessBuilder("sysdig", "-r", lab.captureFile.toString(), "-p", "%evt.num", c.getValue()).start();
            List<String> nums = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(p.waitFor()).isZero();
            assertThat(nums).as(c.getKey()).isNotEmpty();
            assertThat(byRule.getOrDefault(c.getKey(), List.of())).as(c.getKey()).containsExactlyElementsOf(nums);
            total += nums.size();
        }
        assertThat(page.body()).contains("id=\"rules-summary\">" + total + " alert(s)");
        // a hit's link opens its event's pane in the table
        for (String num : List.of(byRule.get("Lab exec").getFirst(), byRule.get("Lab terminal write").getLast()))
            assertThat(get(links.get(num)).body()).contains("<h2>Event " + num + "</h2>");
    }

    @Test
    void aDroppedFileDownloadsAsGnuTarExtractsItAndHashChecked() throws Exception {
        // GNU tar, not stasis, takes the file out of the archive's rootfs-diff.tar
        Process p = new ProcessBuilder("sh", "-c", "tar -xOf \"$0\" rootfs-diff.tar | tar -xO tmp/perlbot.pl",
                dev.stasis.testsupport.ProjectFiles.checkpoint("irc-bot.tar").toString()).start();
        byte[] expected = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(expected).isNotEmpty();
        assertThat(get("/items/" + lab.checkpoint).body()).contains("/items/" + lab.checkpoint + "/file?path=%2Ftmp%2Fperlbot.pl");
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(lab.uri("/items/" + lab.checkpoint + "/file?path=%2Ftmp%2Fperlbot.pl")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(expected);
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"perlbot.pl.bin\"");
        assertThat(r.headers().firstValue("X-Content-SHA256")).hasValue(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(expected)));
        assertThat(get("/items/" + lab.checkpoint + "/file?path=%2Fetc%2Fshadow").statusCode()).isEqualTo(404);
    }

    @Test
    void exportingMakesTheSignedBundleAndIsRecorded() throws Exception {
        HttpResponse<String> page = get("/items/" + lab.capture);
        String setCookie = csrfCookie(page);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> r = post("/items/" + lab.capture + "/export", cookie, "csrf=" + cookie.substring("stasis_csrf=".length()));
        assertThat(r.statusCode()).isEqualTo(303);
        String location = java.net.URLDecoder.decode(r.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8);
        Path dir = Path.of(location.substring(location.indexOf("exported=") + "exported=".length()));
        assertThat(dir).startsWith(tmp.resolve("ui-state"));
        // the bundle's checksums are those of sha256sum over its files
        List<String> sums = Files.readAllLines(dir.resolve("SHA256SUMS"));
        assertThat(sums).isNotEmpty();
        Process p = new ProcessBuilder("sha256sum", "-c", "SHA256SUMS").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        try (Vault v = Vault.openExisting(lab.vaultConfig)) {
            assertThat(v.custody().records()).anySatisfy(c -> {
                assertThat(c.action()).isEqualTo(CustodyAction.EXPORT);
                assertThat(c.item()).isEqualTo(lab.capture);
                assertThat(c.who()).isEqualTo("local-analyst");
            });
        }
    }

    @Test
    void aMistypedFilterIsShownAtItsColumn() throws Exception {
        // the typo is the field name starting at the 21st character
        String filter = "evt.type=openat and prc.name=bash";
        HttpResponse<String> page = get("/items/" + lab.capture + "/events?f=" + enc(filter));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"filter-error\"").contains("prc.name").contains("at column 21");
        assertThat(page.body()).contains("evt.type=openat and <mark id=\"filter-error-at\">p</mark>rc.name=bash");
        assertThat(page.body()).doesNotContain("id=\"events\"");
    }
}
