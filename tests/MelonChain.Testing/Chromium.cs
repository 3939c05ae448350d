using OpenQA.Selenium.Chrome;

namespace MelonChain.Testing;

/// <summary>Headless Chromium from the OS packages (no browser can be downloaded here), as the browser tests drive it.</summary>
public static class Chromium
{
    /// <summary>The test installs what it needs: Debian's chromium and chromium-driver.</summary>
    public static async Task EnsureInstalledAsync()
    {
        if (File.Exists("/usr/bin/chromium") && File.Exists("/usr/bin/chromedriver")) return;
        await Cli.Run("apt-get", ["install", "-y", "-qq", "chromium", "chromium-driver"],
            new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" }, timeout: TimeSpan.FromMinutes(5));
    }

    public static ChromeDriver Start()
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--allow-file-access-from-files", "--user-data-dir=" + Directory.CreateTempSubdirectory("melontest-chromium").FullName);
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
