package io.ingestnotify;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ops page in a real headless Chromium: the numbers of the database, the mails, an open batch, the retry button, held
 * digests and the suppression list.
 */
class OpsPageTest extends AppTestSupport {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue((CHROMIUM.canExecute() && CHROMEDRIVER.canExecute()) || System.getenv("CI") != null,
                "Debian chromium and chromium-driver are not installed: ops page test skipped");
        startApp(Map.of("ingest-notify.correction.poll.delay.ms", "100", "ingest-notify.auto.correction.delay.seconds", "0",
                "ingest-notify.correction.branch.redeliveries", "0", "ingest-notify.max.correction.attempts", "1", "ingest-notify.notification.delay.unit", "SECONDS",
                // one task may delete per hour: the second failed file waits for the operator
                "ingest-notify.max.deletions.per.hour", "1"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("chromium").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    @Test
    void pageShowsTheDatabaseAndItsRetryButtonWorks() throws Exception {
        String mailed = newUser();
        String open = newUser();
        stubPreferences(1, 2, mailed, prefs(2, 1440, "html", true, true, true));
        // Its delay (1440 s: this class counts delays in seconds) keeps it open however slow the machine is.
        stubPreferences(1, 2, open, prefs(10, 1440, "html", true, true, true));
        cms.stubFor(delete(urlEqualTo("/api/files/ops-fail")).willReturn(aResponse().withStatus(500)));
        post("/api/events", Json.array(event(newEventId(), "ops-1", "success", mailed, 1, 2, "<b>bold</b>.pdf"),
                event(newEventId(), "ops-2", "success", mailed, 1, 2, "ops-2.pdf")));
        post("/api/events", event(newEventId(), "ops-3", "success", open, 1, 2, "ops-3.pdf"));
        post("/api/events", Json.object("event_id", newEventId(), "file_document_id", "ops-fail", "status", "failed",
                "company_id", 1, "bot_id", 2, "error_category", "file_not_found"));
        awaitMails(mailed, 1);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "failed".equals(value("SELECT status FROM auto_correction_tasks WHERE file_document_id = 'ops-fail'")));

        login();

        long completed = count("SELECT count(*) FROM batch_processing_sessions WHERE status = 'completed' AND created_at > now() - interval '24 hours'");
        WebElement completedBar = waitFor(By.cssSelector("#batch-status .bar-row[data-status='completed'] .bar-count"));
        assertThat(completedBar.getText()).isEqualTo(String.valueOf(completed));
        assertThat(waitFor(By.id("email-rate")).getText()).isEqualTo("100% sent");

        WebElement openRow = waitFor(By.xpath("//table[@id='open-batches']//td[text()='" + open + "']/.."));
        assertThat(openRow.getText()).contains("1 / 10");
        // Its deadlines: the delay after its last file (24 min) is near, the 24 h maximum age far away.
        List<WebElement> cells = openRow.findElements(By.tagName("td"));
        assertThat(cells.get(3).getText()).matches(".*\\(in 2[34] min\\)");
        assertThat(cells.get(4).getText()).matches(".*\\(in 14\\d\\d min\\)");
        // Its digest as it would go now: shown like the recent mails (sandboxed), sent and recorded nowhere.
        long logged = count("SELECT count(*) FROM email_notification_log");
        int mails = smtp.getReceivedMessages().length;
        cells.get(5).findElement(By.tagName("button")).click();
        WebElement previewText = waitFor(By.cssSelector("#mail-view.preview pre"));
        assertThat(previewText.getText()).contains("ops-3.pdf", "- Total Files: 1");
        assertThat(waitFor(By.cssSelector("#mail-view.preview iframe")).getAttribute("sandbox")).isEqualTo("");
        assertThat(waitFor(By.cssSelector("#mail-view p")).getText()).contains("to " + open, "preview, not sent (html)");
        assertThat(count("SELECT count(*) FROM email_notification_log")).isEqualTo(logged);
        assertThat(smtp.getReceivedMessages()).hasSize(mails);
        // Its complete file list, where a digest that lists only some sends the reader.
        browser.findElement(By.id("batch-id")).sendKeys(cells.get(0).getText());
        browser.findElement(By.id("batch-files-show")).click();
        assertThat(waitFor(By.xpath("//table[@id='batch-files']//td[text()='ops-3.pdf']/..")).getText()).contains("success");

        // Storage: each table with its size, and the retention pass the instance ran at its start.
        WebElement eventsRow = waitFor(By.xpath("//table[@id='tables']//td[text()='file_events']/.."));
        assertThat(eventsRow.getText()).containsPattern("file_events [0-9.]+ (KiB|MiB)");
        assertThat(waitFor(By.id("retention")).getText()).startsWith("Retention pass 1 started");

        WebElement mailRow = waitFor(By.xpath("//table[@id='recent-mails']//td[text()='" + mailed + "']/.."));
        assertThat(mailRow.getText()).contains("File Processing Complete - 2 Success, 0 Failed", "sent");
        mailRow.click();
        WebElement text = waitFor(By.cssSelector("#mail-view pre"));
        assertThat(text.getText()).contains("<b>bold</b>.pdf");                   // shown as text
        assertThat(browser.findElements(By.cssSelector("#mail-view b"))).isEmpty(); // never as markup
        assertThat(waitFor(By.cssSelector("#mail-view iframe")).getAttribute("sandbox")).isEqualTo("");

        cms.stubFor(delete(urlEqualTo("/api/files/ops-fail")).willReturn(aResponse().withStatus(204)));
        waitFor(By.xpath("//table[@id='failed-corrections']//td[text()='ops-fail']/..//button")).click();
        String answer = new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> {
            String t = d.findElement(By.id("retry-result")).getText();
            return t.isEmpty() ? null : t;
        });
        assertThat(answer).contains("HTTP 202");
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "completed".equals(value("SELECT status FROM auto_correction_tasks WHERE file_document_id = 'ops-fail'")));

        // The breaker holds the next failed file; the page shows the hold and its Release button runs the task.
        cms.stubFor(delete(urlEqualTo("/api/files/ops-held")).willReturn(aResponse().withStatus(204)));
        post("/api/events", Json.object("event_id", newEventId(), "file_document_id", "ops-held", "status", "failed",
                "company_id", 1, "bot_id", 2, "error_category", "file_not_found"));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "held".equals(value("SELECT status FROM auto_correction_tasks WHERE file_document_id = 'ops-held'")));
        WebElement heldRow = waitFor(By.xpath("//table[@id='held-corrections']//td[text()='ops-held']/.."));
        assertThat(heldRow.getText()).contains("file_not_found");
        assertThat(waitFor(By.id("held-summary")).getText()).contains("1 correction task(s) held", "MAX_DELETIONS_PER_HOUR");
        cms.verify(0, deleteRequestedFor(urlEqualTo("/api/files/ops-held")));
        waitFor(By.id("release-held")).click();
        String released = new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> {
            String t = d.findElement(By.id("held-result")).getText();
            return t.isEmpty() ? null : t;
        });
        assertThat(released).contains("HTTP 200", "\"released\":1");
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "completed".equals(value("SELECT status FROM auto_correction_tasks WHERE file_document_id = 'ops-held'")));
        cms.verify(1, deleteRequestedFor(urlEqualTo("/api/files/ops-held")));
    }

    @Test
    void pageShowsHeldDigestsAndTheSuppressionListWhoseButtonsWork() throws Exception {
        String user = newUser();
        String suppressed = newUser();
        // One digest a day: the second batch's digest is held for a day.
        stubPreferences(3, 4, user, Json.write(((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
                prefs(1, 1440, "html", true, true, true))).put("max_digests_per_day", 1)));
        post("/api/events", event(newEventId(), "hd-1", "success", user, 3, 4, "hd-1.pdf"));
        awaitMails(user, 1);
        post("/api/events", event(newEventId(), "hd-2", "success", user, 3, 4, "hd-2.pdf"));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                count("SELECT count(*) FROM email_notification_log WHERE recipient_email = ? AND send_status = 'held'", user) == 1);
        login();
        WebElement heldRow = waitFor(By.xpath("//table[@id='held-digests']//td[text()='" + user + "']/.."));
        assertThat(heldRow.getText()).contains("3 / 4", "budget");
        assertThat(heldRow.findElements(By.tagName("td")).get(5).getText()).matches(".*\\(in 14[34]\\d min\\)");

        // The operator suppresses an address on the page, then lifts it: both audited.
        waitFor(By.id("suppress-company")).sendKeys("3");
        browser.findElement(By.id("suppress-bot")).sendKeys("4");
        browser.findElement(By.id("suppress-email")).sendKeys(suppressed);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("suppress-reason"))).selectByVisibleText("complaint");
        browser.findElement(By.id("suppress-add")).click();
        WebElement row = waitFor(By.xpath("//table[@id='suppressions']//td[text()='" + suppressed + "']/.."));
        assertThat(row.getText()).contains("3 / 4", "complaint", "operator " + OPS_USER);
        assertThat(browser.findElement(By.id("suppress-result")).getText()).contains("HTTP 201");
        row.findElement(By.cssSelector("button.lift")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElements(
                By.xpath("//table[@id='suppressions']//td[text()='" + suppressed + "']")).isEmpty());
        String target = "suppression " + value("SELECT id FROM suppressions WHERE email = ?", suppressed);
        assertThat(rows("SELECT action, credential FROM operator_audit WHERE target = ? OR target LIKE ? ORDER BY id", target,
                target + " (%")).extracting(r -> r.get("action") + " by " + r.get("credential"))
                .containsExactly("suppression.add by operator " + OPS_USER, "suppression.lift by operator " + OPS_USER);
        // Both are in the page's audit table, newest first.
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElements(
                By.xpath("//table[@id='audit']//td[text()='" + target + "']")).size() == 1);
        WebElement audited = browser.findElement(By.xpath("//table[@id='audit']//td[text()='" + target + "']/.."));
        assertThat(audited.getText()).contains("operator " + OPS_USER, "127.0.0.1", "suppression.lift", "200");
    }

    /** Logged in (as a browser is after the Basic prompt): every request of the page carries the login. */
    private static void login() {
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Network.enable", Map.of());
        chrome.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((OPS_USER + ":" + OPS_PASSWORD).getBytes(StandardCharsets.UTF_8)))));
        browser.get("http://127.0.0.1:" + httpPort + "/");
    }
}
