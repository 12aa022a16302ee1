using System.Diagnostics;
using System.Text;

namespace Mimamori.EndToEnd.Tests;

/// <summary>Runs the built `mimamori` command as a separate process, as a deployment or an operator would.</summary>
public static class CliProcess
{
    /// <summary>Starts the command; output is collected into the given builders (or dropped).</summary>
    public static Process Start(IEnumerable<string> arguments, StringBuilder? stdout = null, StringBuilder? stderr = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mimamori.dll"));
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (process) { stdout?.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (process) { stderr?.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs the command to its end; returns the exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Out, string Err)> Run(params string[] arguments)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = Start(arguments, stdout, stderr);
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
