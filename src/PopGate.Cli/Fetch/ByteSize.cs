using System.Globalization;

namespace PopGate.Cli.Fetch;

/// <summary>Octets for people: 512 B, 7.8 MB (powers of 1,000, as transfer rates are given).</summary>
internal static class ByteSize
{
    public static string Format(double octets) => octets switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{octets:0} B"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{octets / 1e3:0.#} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{octets / 1e6:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{octets / 1e9:0.##} GB"),
    };
}
