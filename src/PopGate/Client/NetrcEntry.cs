namespace PopGate.Client;

/// <summary>One machine (or the default) in a .netrc file.</summary>
/// <param name="Machine">The machine name, or null for the "default" entry.</param>
public sealed record NetrcEntry(string? Machine, string? Login, string? Password, string? Account)
{
    public override string ToString() => $"NetrcEntry {{ Machine = {Machine ?? "default"}, Login = {Login} }}";
}
