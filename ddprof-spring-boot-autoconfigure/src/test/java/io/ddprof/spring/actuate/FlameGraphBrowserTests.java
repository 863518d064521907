package io.ddprof.spring.actuate;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The flame graph of {@code /actuator/profiler/flamegraph} opened in a real headless
 * Chromium: it renders, shows the hot method, and the page's own search finds it. A
 * screenshot is kept as {@code target/flamegraph.png}. Skipped only where Chromium or
 * ChromeDriver is not installed (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs).
 */
class FlameGraphBrowserTests {

	private static final Duration HANG_GUARD = Duration.ofMinutes(1);

	@TempDir
	Path temp;

	@Test
	void theFlameGraphRendersTheHotMethodAndItsSearchFindsIt() throws Exception {
		Path chromium = executable("chromium", "chromium-browser");
		Path chromedriver = executable("chromedriver");
		String missing = "Chromium (" + chromium + ") and ChromeDriver (" + chromedriver + ") are needed: install"
				+ " Debian's chromium and chromium-driver packages, as .ci/run does";
		if ("true".equals(System.getenv("CI"))) {
			assertThat(chromium).as(missing).isNotNull();
			assertThat(chromedriver).as(missing).isNotNull();
		}
		assumeTrue(chromium != null && chromedriver != null, missing);
		try (ProfiledApplication app = ProfiledApplication.start(this.temp, false)) {
			app.busy(500);
			app.awaitStatus((status) -> status.windowsRecorded() >= 1);
			WebDriver browser = open(chromium, chromedriver);
			try {
				browser.get(app.url("/actuator/profiler/flamegraph?seconds=300"));
				check(browser);
			}
			finally {
				browser.quit();
			}
		}
	}

	private void check(WebDriver browser) throws Exception {
		JavascriptExecutor page = (JavascriptExecutor) browser;
		assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("orders: cpu, ");
		WebElement canvas = browser.findElement(By.id("canvas"));
		assertThat(canvas.getSize().getWidth()).isPositive();
		assertThat(canvas.getSize().getHeight()).isPositive();
		// The page's own data: the frames of every level, and their names.
		long frames = (Long) page.executeScript("return levels.reduce((n, level) => n + level.length, 0)");
		assertThat(frames).isGreaterThan(1);
		assertThat(painted(page, null)).as("pixels painted on the canvas").isPositive();
		// The hot frame, scrolled into view; where it is on the screen.
		@SuppressWarnings("unchecked")
		Map<String, Object> hot = (Map<String, Object>) page
			.executeScript("for (const level of levels) { for (const f of level) { if (f.title === arguments[0]) {"
					+ " const y = canvas.offsetHeight - (f.level + 1) * 16 + 8;"
					+ " window.scrollTo(0, canvas.offsetTop + y - 100);"
					+ " const box = canvas.getBoundingClientRect();"
					+ " return {x: box.left + (f.left - root.left) * px + Math.min(f.width * px, 20) / 2,"
					+ " y: box.top + y, width: f.width * px}; } } } return null;", BusyController.HOT_METHOD);
		assertThat(hot).as("a frame of %s", BusyController.HOT_METHOD).isNotNull();
		assertThat(((Number) hot.get("width")).doubleValue()).isPositive();
		// Hovering over it names it in the status line, as a user sees it.
		new Actions(browser).moveToLocation(((Number) hot.get("x")).intValue(), ((Number) hot.get("y")).intValue())
			.perform();
		assertThat(browser.findElement(By.id("status")).getText()).contains(BusyController.HOT_METHOD);
		// Search as a user does: the search button asks for a regular expression in a
		// prompt.
		browser.findElement(By.id("search")).click();
		new WebDriverWait(browser, HANG_GUARD).until(ExpectedConditions.alertIsPresent());
		browser.switchTo().alert().sendKeys("spinOnCpuForProfilerTests");
		browser.switchTo().alert().accept();
		WebElement match = browser.findElement(By.id("match"));
		new WebDriverWait(browser, HANG_GUARD).until(ExpectedConditions.visibilityOf(match));
		String matched = browser.findElement(By.id("matchval")).getText();
		assertThat(matched).endsWith("%");
		assertThat(Double.parseDouble(matched.substring(0, matched.length() - 1))).isPositive();
		assertThat(painted(page, List.of(0xee, 0x00, 0xee))).as("frames highlighted as matches").isPositive();
		Path screenshot = Path.of("target", "flamegraph.png");
		Files.createDirectories(screenshot.getParent());
		Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
		assertThat(Files.size(screenshot)).isPositive();
	}

	/**
	 * Counts the canvas pixels of {@code rgb}, or those not of the background when
	 * {@code null}.
	 */
	private static long painted(JavascriptExecutor page, List<Integer> rgb) {
		return (Long) page.executeScript("const data = canvas.getContext('2d')"
				+ ".getImageData(0, 0, canvas.width, canvas.height).data; const rgb = arguments[0]; let n = 0;"
				+ " for (let i = 0; i < data.length; i += 4) {"
				+ " if (rgb ? (data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2])"
				+ " : (data[i + 3] !== 0 && (data[i] !== 255 || data[i + 1] !== 255 || data[i + 2] !== 255))) n++; }"
				+ " return n;", rgb);
	}

	private WebDriver open(Path chromium, Path chromedriver) {
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1400,2000", "--user-data-dir=" + this.temp.resolve("chromium-profile"));
		WebDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(HANG_GUARD).scriptTimeout(HANG_GUARD);
		return driver;
	}

	/** The first of {@code names} found on the {@code PATH}, or {@code null}. */
	private static Path executable(String... names) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String name : names) {
			for (String directory : path.split(File.pathSeparator)) {
				Path candidate = Path.of(directory, name);
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

}
