using System.Globalization;
using System.Text.Json;
using PopGate.Testing;

namespace PopGate.Interop.Gateway;

/// <summary>Runs Scripts/poplib_session.py and hands back its report and the messages it saved.</summary>
internal static class PoplibRunner
{
    public static async Task<(JsonElement Report, ProcessResult Result)> RunAsync(int port, string user, string password, string outDir, params int[] delete)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "poplib_session.py");
        var result = await ProcessRunner.RunAsync(
            PeerProgram.Require("python3"),
            [script, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), user, password, "plain", outDir, .. delete.Select(d => d.ToString(CultureInfo.InvariantCulture))],
            TimeSpan.FromMinutes(3));
        return (result.ExitCode == 0 ? JsonDocument.Parse(result.StdOut).RootElement : default, result);
    }

    public static async Task<JsonElement> RunOkAsync(int port, string user, string password, string outDir, params int[] delete)
    {
        var (report, result) = await RunAsync(port, user, password, outDir, delete);
        Assert.True(result.ExitCode == 0, result.ToString());
        return report;
    }

    public static List<string> Uidls(JsonElement report) =>
        report.GetProperty("uidl").EnumerateArray().Select(u => u.GetString()!.Split(' ')[1]).ToList();

    public static List<long> Sizes(JsonElement report) =>
        report.GetProperty("list").EnumerateArray().Select(l => long.Parse(l.GetString()!.Split(' ')[1], CultureInfo.InvariantCulture)).ToList();
}
