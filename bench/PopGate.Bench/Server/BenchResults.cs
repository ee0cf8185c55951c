using System.Globalization;
using System.Text;

namespace PopGate.Bench.Server;

/// <summary>One number for one server, with what else was seen while it was measured.</summary>
/// <param name="LowerIsBetter">For memory: the ratio to a peer should be small.</param>
public sealed record Measurement(string Measure, string Server, double Value, string Details, bool LowerIsBetter = false);

/// <summary>The measurements of a run, and their markdown tables: values side by side, ratios, then details.</summary>
public sealed class BenchResults
{
    private readonly List<Measurement> _rows = [];

    public IReadOnlyList<Measurement> Rows => _rows;

    public void Add(Measurement row)
    {
        _rows.Add(row);
        Console.Error.WriteLine($"  {row.Server,-16} {row.Measure}: {Format(row.Value)}  ({row.Details})");
    }

    public string ToMarkdown(IReadOnlyList<string> servers)
    {
        var text = new StringBuilder();
        var measures = _rows.Select(r => r.Measure).Distinct().ToList();
        var peers = servers.Where(s => s != "popgate").ToList();
        text.Append("| measure | ").AppendJoin(" | ", servers);
        foreach (var peer in peers)
        {
            text.Append(CultureInfo.InvariantCulture, $" | popgate ÷ {peer}");
        }

        text.Append(" |\n|---|").Append(string.Concat(Enumerable.Repeat("---:|", servers.Count + (servers.Contains("popgate") ? peers.Count : 0)))).Append('\n');
        foreach (var measure in measures)
        {
            text.Append("| ").Append(measure);
            foreach (var server in servers)
            {
                var row = Find(measure, server);
                text.Append(" | ").Append(row is null ? "–" : Format(row.Value));
            }

            if (Find(measure, "popgate") is { } ours)
            {
                foreach (var peer in peers)
                {
                    var theirs = Find(measure, peer);
                    text.Append(" | ").Append(theirs is null || theirs.Value == 0 ? "–" : (ours.Value / theirs.Value).ToString("0.00", CultureInfo.InvariantCulture) + "×");
                }
            }

            text.Append(" |\n");
        }

        text.Append("\n| server | measure | value | details |\n|---|---|---:|---|\n");
        foreach (var row in _rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Server} | {row.Measure} | {Format(row.Value)} | {row.Details} |\n");
        }

        return text.ToString();
    }

    private Measurement? Find(string measure, string server) => _rows.FirstOrDefault(r => r.Measure == measure && r.Server == server);

    public static string Format(double value) => value switch
    {
        double.NaN => "–",
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
