using System.Globalization;
using System.Text;

namespace PopGate.Bench.Download;

/// <summary>The runs of a download benchmark and their markdown: per cell, medians with ratios to mpop and to the
/// physical floor; then the proxy's own figures, peak memory, and every run.</summary>
public sealed class DownloadResults
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly List<DownloadRow> _rows = [];
    private readonly List<DownloadRow> _memory = [];
    private readonly Dictionary<int, ProxyFigures> _proxy = [];

    public IReadOnlyList<DownloadRow> Rows => _rows;

    public IReadOnlyList<DownloadRow> MemoryRows => _memory;

    public IReadOnlyDictionary<int, ProxyFigures> Proxy => _proxy;

    public void AddProxy(int delayMs, ProxyFigures figures) => _proxy[delayMs] = figures;

    public void Add(DownloadRow row) => _rows.Add(row);

    public void AddMemory(DownloadRow row) => _memory.Add(row);

    /// <summary>Median wall time of a tool's verified runs in a cell, or NaN without one.</summary>
    public double Median(DownloadCell cell, string tool) => Median(Verified(cell, tool).Select(r => r.Seconds));

    /// <summary>
    /// The least time the link allows: the fewest server-to-client bytes any verified run of the cell needed, at the
    /// proxy's measured throughput, plus <paramref name="roundTrips"/> measured round trips.
    /// </summary>
    public double Floor(DownloadCell cell, int roundTrips)
    {
        var runs = _rows.Where(r => r.Cell == cell && r.Verified).ToList();
        if (runs.Count == 0 || !_proxy.TryGetValue(cell.DelayMs, out var proxy))
        {
            return double.NaN;
        }

        return (runs.Min(r => r.ServerToClientBytes) / proxy.BytesPerSecond) + (roundTrips * proxy.RoundTrip.TotalSeconds);
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        foreach (var cell in _rows.Select(r => r.Cell).Distinct())
        {
            CellTable(text, cell);
        }

        ProxyTable(text);
        MemoryTable(text);
        RunTable(text, "Every run", _rows);
        return text.ToString();
    }

    private void CellTable(StringBuilder text, DownloadCell cell)
    {
        var floor4 = Floor(cell, 4);
        var floor5 = Floor(cell, 5);
        var mpop = Median(cell, "mpop");
        text.Append(Invariant, $"### {cell.DelayMs} ms one way (RTT {2 * cell.DelayMs} ms), {cell.Messages} messages\n\n")
            .Append("| tool | median s | min s | max s | turns | CPU s | server→client MB | peak RSS MiB | verified | ÷ mpop | ÷ floor (4 RTT) | ÷ floor (5 RTT) |\n")
            .Append("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        foreach (var tool in cell.Tools)
        {
            var all = _rows.Where(r => r.Cell == cell && r.Tool == tool).ToList();
            var good = Verified(cell, tool).ToList();
            var median = Median(good.Select(r => r.Seconds));
            text.Append(Invariant, $"| {tool} | {F(median)} | {F(Min(good.Select(r => r.Seconds)))} | {F(Max(good.Select(r => r.Seconds)))} ")
                .Append(Invariant, $"| {Whole(Median(good.Select(r => (double)r.ClientTurns)))} | {F(Median(good.Select(r => r.Run.CpuSeconds)))} | {F(Median(good.Select(r => r.ServerToClientBytes / 1e6)))} ")
                .Append(Invariant, $"| {F(Median(good.Select(r => r.Run.PeakRssKiB / 1024.0)))} | {good.Count}/{all.Count} ")
                .Append(Invariant, $"| {Ratio(median, mpop)} | {Ratio(median, floor4)} | {Ratio(median, floor5)} |\n");
        }

        text.Append(Invariant, $"| *physical floor, 4 RTT* | {F(floor4)} | | | 4 | | | | | | 1.00× | |\n")
            .Append(Invariant, $"| *physical floor, 5 RTT* | {F(floor5)} | | | 5 | | | | | | | 1.00× |\n\n");
    }

    private void ProxyTable(StringBuilder text)
    {
        text.Append("### The proxy\n\n| one-way delay | connect → greeting ms | round trip ms | throughput MB/s |\n|---:|---:|---:|---:|\n");
        foreach (var (delay, p) in _proxy.OrderBy(p => p.Key))
        {
            text.Append(Invariant, $"| {delay} ms | {p.Greeting.TotalMilliseconds:0.0} | {p.RoundTrip.TotalMilliseconds:0.0} | {p.BytesPerSecond / 1e6:0} |\n");
        }

        text.Append('\n');
    }

    private void MemoryTable(StringBuilder text)
    {
        if (_memory.Count == 0)
        {
            return;
        }

        text.Append("### Peak memory, small messages at 0 ms\n\n| tool | messages | server→client MB | seconds | CPU s | peak RSS MiB | verified |\n|---|---:|---:|---:|---:|---:|---|\n");
        foreach (var row in _memory)
        {
            text.Append(Invariant, $"| {row.Tool} | {row.Cell.Messages} | {row.ServerToClientBytes / 1e6:0.0} | {row.Seconds:0.00} | {row.Run.CpuSeconds:0.00} | {row.Run.PeakRssKiB / 1024.0:0.0} | {(row.Verified ? "yes" : "NO")} |\n");
        }

        text.Append('\n');
    }

    private static void RunTable(StringBuilder text, string title, IEnumerable<DownloadRow> rows)
    {
        text.Append(Invariant, $"### {title}\n\n| delay ms | N | tool | rep | s | CPU s | turns | conns | server→client B | client→server B | peak RSS KiB | exit | delivery | left on server |\n")
            .Append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        foreach (var r in rows)
        {
            var exit = r.Run.TimedOut ? "timeout" : r.Run.ExitCode.ToString(Invariant);
            text.Append(Invariant, $"| {r.Cell.DelayMs} | {r.Cell.Messages} | {r.Tool} | {r.Repetition} | {r.Seconds:0.000} | {r.Run.CpuSeconds:0.00} | {r.ClientTurns} | {r.Connections} | {r.ServerToClientBytes} | {r.ClientToServerBytes} | {r.Run.PeakRssKiB} | {exit} | {r.Delivery} | {r.ServerLeft} |\n");
        }

        text.Append('\n');
    }

    private IEnumerable<DownloadRow> Verified(DownloadCell cell, string tool) =>
        _rows.Where(r => r.Cell == cell && r.Tool == tool && r.Verified);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Min(IEnumerable<double> values) => values.DefaultIfEmpty(double.NaN).Min();

    private static double Max(IEnumerable<double> values) => values.DefaultIfEmpty(double.NaN).Max();

    private static string Ratio(double value, double baseline) =>
        double.IsNaN(value) || double.IsNaN(baseline) || baseline == 0 ? "–" : (value / baseline).ToString("0.00", Invariant) + "×";

    private static string Whole(double value) => double.IsNaN(value) ? "–" : value.ToString("0", Invariant);

    private static string F(double value) => value switch
    {
        double.NaN => "–",
        >= 100 => value.ToString("0", Invariant),
        >= 10 => value.ToString("0.0", Invariant),
        _ => value.ToString("0.000", Invariant),
    };
}
