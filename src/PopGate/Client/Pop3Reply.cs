namespace PopGate.Client;

/// <summary>The first line of a server reply: its status, the text after it and the response code in that text.</summary>
public sealed record Pop3Reply(ReplyStatus Status, string Text, string? ResponseCode)
{
    public bool IsOk => Status == ReplyStatus.Ok;
}
