package dev.stasis.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.CustodyRecord;
import dev.stasis.evidence.Vault;
import dev.stasis.testsupport.GroundTruth;
import dev.stasis.testsupport.ProjectFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The workbench in a real browser: Debian's chromium, headless, driven through Debian's chromedriver
 * (paths given, nothing downloaded). What the pages show is checked against what did not come from
 * the workbench: the IRC server's transcript of the bot's session, sysdig's reading of the capture, the
 * vault's custody log. A screenshot of each page goes to target/screenshots/.
 */
class WorkbenchBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path tmp;
    static Lab lab;
    static WebDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws IOException {
        GroundTruth.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromedriver (apt-get install chromium chromium-driver) drive the workbench's pages");
        lab = new Lab(tmp);
        lab.start();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                "--user-data-dir=" + tmp.resolve("chromium"));
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 900));
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (lab != null) lab.close();
    }

    static void open(String path) {
        browser.get(lab.uri(path).toString());
    }

    static void shot(String name) throws IOException {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    @Test
    void aCaseListsItsItemsTheAlertAndTheCustodyAndTakesNotes() throws IOException {
        open("/cases");
        assertThat(text("#cases")).contains(Lab.CASE).contains("IRC bot in ns lab").contains("irc");
        shot("cases");
        browser.findElement(By.cssSelector("#cases a[href='/cases/" + Lab.CASE + "']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("custody")));
        assertThat(text("#evidence")).contains(lab.checkpoint.substring(0, 12)).contains(lab.capture.substring(0, 12))
                .contains(lab.tampered.substring(0, 12));
        assertThat(text("#alert")).contains("Terminal shell in container");
        // the custody timeline is the vault's (three STORE records of the lab)
        assertThat(browser.findElements(By.cssSelector("#custody tr.custody-store"))).hasSize(3);
        WebElement note = browser.findElement(By.cssSelector("#notes textarea"));
        note.sendKeys("bot joined #c2 on 10.88.0.1");
        note.submit();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("ul.notes"), "bot joined #c2 on 10.88.0.1"));
        assertThat(text("ul.notes")).contains("local-analyst");
        shot("case");
    }

    @Test
    void aFindingLeadsToItsMemoryHitAsTheIrcServerSawIt() throws IOException {
        // the IRC server's transcript of the bot's session: the bot's NICK line is in it
        String transcript = Files.readString(ProjectFiles.checkpoint("irc-bot.tar.c2.log"), StandardCharsets.UTF_8);
        open("/items/" + lab.checkpoint);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("findings")));
        assertThat(text("#integrity")).isEqualTo("intact");
        shot("item-checkpoint");
        WebElement hit = browser.findElements(By.cssSelector("a.ev-memory")).getFirst();
        hit.click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#at pre.hexdump")));
        String dump = text("#at pre.hexdump");
        String marked = String.join("", browser.findElements(By.cssSelector("#at mark")).stream().map(WebElement::getText).toList());
        // the first marked bytes spell what the finding quotes; the line around them is the transcript's
        String ascii = asciiOf(dump);
        assertThat(ascii).contains("NICK ");
        String nick = ascii.substring(ascii.indexOf("NICK ")).split("[^A-Za-z0-9 _-]")[0].strip();
        assertThat(transcript).contains(nick);
        assertThat(marked).isNotEmpty();
        shot("memory-hit");

        // and the search box finds the same bytes
        WebElement q = browser.findElement(By.id("memory-q"));
        q.clear();
        q.sendKeys("JOIN #c2", Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("hits")));
        assertThat(text("#hits h2")).doesNotStartWith("0 hit");
        assertThat(transcript).contains("JOIN #c2");
        shot("memory-search");
    }

    /** The printable column of a hexdump, joined. */
    static String asciiOf(String dump) {
        StringBuilder sb = new StringBuilder();
        for (String line : dump.split("\n")) {
            int a = line.indexOf('|'), b = line.lastIndexOf('|');
            if (a >= 0 && b > a) sb.append(line, a + 1, b);
        }
        return sb.toString();
    }

    @Test
    void aCaptureIsFilteredMistypedAndItsEventsOpened() throws Exception {
        GroundTruth.require(Files.isExecutable(Path.of("/usr/bin/sysdig")), "sysdig (apt-get install sysdig) reads the capture as the reference");
        Process p = new ProcessBuilder("sysdig", "-r", lab.captureFile.toString(), "-p", "%evt.num %proc.name %fd.name", "evt.type=open and evt.dir=<").start();
        List<String> sysdig = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor()).isZero();
        assertThat(sysdig).isNotEmpty();

        open("/items/" + lab.capture);
        browser.findElement(By.id("open-events")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("events")));
        WebElement filter = browser.findElement(By.id("filter"));
        filter.sendKeys("evt.type=open and evt.dri=<", Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("filter-error")));
        assertThat(text("#filter-error-message")).contains("evt.dri").contains("column 19");
        assertThat(text("#filter-error-at")).isEqualTo("e");
        shot("filter-error");

        filter = browser.findElement(By.id("filter"));
        filter.clear();
        filter.sendKeys("evt.type=open and evt.dir=<");
        WebElement cols = browser.findElement(By.id("cols"));
        cols.clear();
        cols.sendKeys("evt.num proc.name fd.name", Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("events")));
        for (int i = 0; i < 60 && text("#event-count").contains("indexing"); i++) {
            Thread.sleep(500);
            browser.navigate().refresh();
        }
        assertThat(text("#event-count")).startsWith(sysdig.size() + " event(s)");
        List<WebElement> rows = browser.findElements(By.cssSelector("#events tbody tr[data-href]"));
        assertThat(rows).hasSize(Math.min(50, sysdig.size()));
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i).findElements(By.tagName("td")).stream().map(WebElement::getText).toArray(String[]::new);
            assertThat(String.join(" ", cells)).as("row " + i).isEqualTo(sysdig.get(i));
        }
        shot("events");

        // an event's fields; then the next one with the keyboard
        rows.get(1).findElements(By.tagName("td")).get(1).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("event-detail")));
        String num = sysdig.get(1).split(" ")[0];
        assertThat(text("#event-detail h2")).isEqualTo("Event " + num);
        assertThat(text("#event-detail table")).contains("evt.type").contains("open").contains("proc.name");
        assertThat(browser.getCurrentUrl()).contains("sel=");
        shot("event-detail");
        browser.findElement(By.tagName("body")).sendKeys("j");
        String next = sysdig.get(2).split(" ")[0];
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#event-detail h2"), "Event " + next));

        // the histogram narrows the table to a time range (a filter on evt.rawtime, in the URL)
        List<WebElement> bars = browser.findElements(By.cssSelector("#histogram a"));
        assertThat(bars).hasSize(60);
        WebElement bar = bars.stream().filter(b -> !b.getAttribute("title").startsWith("0 event")).findFirst().orElseThrow();
        long inBar = Long.parseLong(bar.getAttribute("title").split(" ")[0]);
        bar.click();
        wait.until(ExpectedConditions.urlContains("evt.rawtime"));
        for (int i = 0; i < 60 && text("#event-count").contains("indexing"); i++) {
            Thread.sleep(500);
            browser.navigate().refresh();
        }
        assertThat(text("#event-count")).startsWith(inBar + " event(s)");
        assertThat(browser.findElement(By.id("filter")).getAttribute("value")).contains("evt.rawtime >=");
    }

    @Test
    void anEventsFdIsFollowedAsSysdigSeesItsReadsAndWrites() throws Exception {
        GroundTruth.require(Files.isExecutable(Path.of("/usr/bin/sysdig")), "sysdig (apt-get install sysdig) reads the capture as the reference");
        String io = "evt.is_io=true and evt.dir=< and evt.rawres>0 and proc.pid=13750 and fd.num=3";
        Process p = new ProcessBuilder("sysdig", "-r", lab.captureFile.toString(), "-p", "%evt.num", io).start();
        List<String> sysdig = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor()).isZero();
        assertThat(sysdig).hasSizeGreaterThan(1);
        open("/items/" + lab.capture + "/events?f=" + java.net.URLEncoder.encode(io, StandardCharsets.UTF_8));
        browser.findElement(By.cssSelector("#events tbody tr[data-href] a")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("event-detail")));
        assertThat(text("#event-detail h2")).isEqualTo("Event " + sysdig.getFirst());
        browser.findElement(By.id("follow-fd")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stream")));
        List<String> nums = browser.findElements(By.cssSelector("#stream tbody tr td:first-child")).stream().map(WebElement::getText).toList();
        assertThat(nums).isEqualTo(sysdig);
        assertThat(text("#stream-summary")).contains(sysdig.size() + " read(s)/write(s)");
        shot("stream");
    }

    @Test
    void verifyingIsRecordedAndATamperedItemShowsAsTampered() throws IOException {
        open("/items/" + lab.checkpoint);
        browser.findElement(By.id("verify")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("last-verified"), "local-analyst"));
        assertThat(text("#last-verified")).contains("ok");
        shot("verified");

        open("/items/" + lab.tampered);
        assertThat(text("#integrity")).isEqualTo("tampered");
        assertThat(text("#tampered")).contains("no longer hash");
        browser.findElement(By.id("verify")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("last-verified"), "local-analyst"));
        assertThat(text("#integrity")).isEqualTo("tampered");
        shot("tampered");
        try (Vault v = Vault.openExisting(lab.vaultConfig)) {
            List<CustodyRecord> verifies = v.custody().records().stream().filter(r -> r.action() == CustodyAction.VERIFY).toList();
            assertThat(verifies).anySatisfy(r -> {
                assertThat(r.item()).isEqualTo(lab.checkpoint);
                assertThat(r.who()).isEqualTo("local-analyst");
                assertThat(r.outcome()).isEqualTo("ok");
            });
            assertThat(verifies).anySatisfy(r -> {
                assertThat(r.item()).isEqualTo(lab.tampered);
                assertThat(r.outcome()).isNotEqualTo("ok");
            });
        }
    }

    @Test
    void theResponsePageAndTheEvidenceListRender() throws IOException {
        open("/items");
        assertThat(browser.findElements(By.cssSelector("#items tbody tr"))).hasSize(3);
        assertThat(text("#items")).contains("tampered").contains("intact");
        shot("items");
        open("/response");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Response");
        shot("response");
    }
}
