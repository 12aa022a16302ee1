using System.Diagnostics;
using System.Globalization;

namespace Mimamori.Cli.Console;

/// <summary>
/// Progress for people and for logs: on a terminal a status line that updates in place, otherwise (CI, a systemd
/// journal, a pipe) one plain timestamped line per step, so that progress is visible either way.
/// </summary>
public sealed class ProgressLog
{
    private readonly TextWriter output;
    private readonly bool interactive;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private bool statusShown;

    public ProgressLog(TextWriter output, bool interactive)
    {
        this.output = output;
        this.interactive = interactive;
    }

    /// <summary>Progress to standard error, interactive when it is a terminal.</summary>
    public static ProgressLog ForConsole() => new(System.Console.Error, !System.Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null);

    /// <summary>A step worth keeping in the log.</summary>
    public void Line(string message)
    {
        ClearStatus();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,7:0.0}s] {message}"));
    }

    /// <summary>A passing status: shown in place on a terminal, dropped otherwise.</summary>
    public void Status(string message)
    {
        if (!interactive)
        {
            return;
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,7:0.0}s] {message}");
        output.Write("\r" + (text.Length > 100 ? text[..100] : text.PadRight(100)));
        statusShown = true;
    }

    private void ClearStatus()
    {
        if (statusShown)
        {
            output.Write("\r" + new string(' ', 100) + "\r");
            statusShown = false;
        }
    }
}
