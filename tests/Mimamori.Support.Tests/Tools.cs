using System.Diagnostics;

namespace Mimamori.Support.Tests;

/// <summary>The letter font and poppler-utils, which the test script installs (fonts-ipafont, poppler-utils).</summary>
public static class Tools
{
    public const string FontPath = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf";

    public static byte[] Font()
    {
        if (!File.Exists(FontPath))
        {
            throw new InvalidOperationException($"The letter font {FontPath} is missing: apt-get install -y fonts-ipafont");
        }

        return File.ReadAllBytes(FontPath);
    }

    /// <summary>Runs a program and returns its standard output; fails the test with its error output otherwise.</summary>
    public static string Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}: {stderr}");
            return stdout.Result;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed (apt-get install -y poppler-utils)", e);
        }
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mimamori-support-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
