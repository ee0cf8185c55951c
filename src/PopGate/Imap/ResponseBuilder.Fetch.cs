namespace PopGate.Imap;

internal sealed partial class ResponseBuilder
{
    private Step AcceptFirst(in ImapToken token)
    {
        if (token.Kind != ImapTokenKind.Atom)
        {
            throw Invalid(token, "a tag, '*' or '+'");
        }

        if (token.IsAtom("*"u8))
        {
            _state = State.Untagged;
            return Step.Token;
        }

        if (token.IsAtom("+"u8))
        {
            _state = State.ContinuationText;
            return Step.Text;
        }

        _tag = token.GetString();
        _state = State.TagStatus;
        return Step.Token;
    }

    private static bool TryStatus(in ImapToken token, out ImapStatus status)
    {
        status = default;
        if (token.IsAtom("OK"u8))
        {
            status = ImapStatus.Ok;
        }
        else if (token.IsAtom("NO"u8))
        {
            status = ImapStatus.No;
        }
        else if (token.IsAtom("BAD"u8))
        {
            status = ImapStatus.Bad;
        }
        else if (token.IsAtom("BYE"u8))
        {
            status = ImapStatus.Bye;
        }
        else if (token.IsAtom("PREAUTH"u8))
        {
            status = ImapStatus.PreAuth;
        }
        else
        {
            return false;
        }

        return true;
    }

    private Step AcceptUntagged(in ImapToken token)
    {
        if (token.Kind != ImapTokenKind.Atom)
        {
            throw Invalid(token, "a response name after '*'");
        }

        if (TryStatus(token, out _status))
        {
            _state = State.StatusText;
            return Step.Text;
        }

        if (token.TryGetNumber(out _number))
        {
            _state = State.UntaggedNumber;
            return Step.Token;
        }

        _name = token.GetUpperString();
        _state = _name is "CAPABILITY" or "FLAGS" or "SEARCH" or "ENABLED" ? State.DataText : State.Skip;
        return Step.Text;
    }

    private Step AcceptNumbered(in ImapToken token)
    {
        if (token.Kind != ImapTokenKind.Atom)
        {
            throw Invalid(token, "a response name after the number");
        }

        _name = token.GetUpperString();
        switch (_name)
        {
            case "EXISTS" or "RECENT" or "EXPUNGE":
                _state = State.NumberedEnd;
                return Step.Token;
            case "FETCH":
                _state = State.FetchOpen;
                return Step.Token;
            default:
                _state = State.Skip;
                return Step.Text;
        }
    }

    private Step AcceptFetchName(in ImapToken token)
    {
        if (token.Kind == ImapTokenKind.ListEnd)
        {
            if (_flags is not null)
            {
                _fetch!.Flags = _flags;
                _flags = null;
            }

            _state = State.FetchEnd;
            return Step.Token;
        }

        if (token.Kind != ImapTokenKind.Atom)
        {
            throw Invalid(token, "a FETCH item name");
        }

        _item = token.GetUpperString();
        _state = State.FetchValue;
        return Step.Token;
    }

    private Step AcceptFetchValue(in ImapToken token)
    {
        if (_item is "UID" or "RFC822.SIZE")
        {
            if (!token.TryGetNumber(out var number) || (_item == "UID" && number is < 1 or > uint.MaxValue))
            {
                throw Invalid(token, "a number for " + _item);
            }

            if (_item == "UID")
            {
                _fetch!.Uid = (uint)number;
            }
            else
            {
                _fetch!.Size = number;
            }

            _state = State.FetchName;
            return Step.Token;
        }

        if (_item == "FLAGS")
        {
            if (token.Kind != ImapTokenKind.ListStart)
            {
                throw Invalid(token, "'(' after FLAGS");
            }

            _flags = [];
            _state = State.FetchFlags;
            return Step.Token;
        }

        if (IsSection(_item))
        {
            return AcceptSection(token);
        }

        switch (token.Kind)
        {
            case ImapTokenKind.Atom or ImapTokenKind.Quoted:
                _state = State.FetchName;
                return Step.Token;
            case ImapTokenKind.Literal:
                _literalIsSection = false;
                return new Step(StepKind.Literal, token.LiteralLength);
            case ImapTokenKind.ListStart:
                _depth = 1;
                _state = State.FetchSkipList;
                return Step.Token;
            default:
                throw Invalid(token, "a value for " + _item);
        }
    }

    private Step AcceptSection(in ImapToken token)
    {
        switch (token.Kind)
        {
            case ImapTokenKind.Literal:
                var sink = _handler?.SinkFor(_fetch!, _item, token.LiteralLength);
                _literalIsSection = true;
                return new Step(StepKind.Literal, token.LiteralLength, sink, Keep: sink is null && token.LiteralLength <= _maxKeptLiteral);
            case ImapTokenKind.Quoted:
                var bytes = token.GetBytes();
                var target = _handler?.SinkFor(_fetch!, _item, bytes.Length);
                if (target is not null)
                {
                    return new Step(StepKind.Deliver, bytes.Length, target, Data: bytes);
                }

                _fetch!.AddSection(_item, bytes);
                _state = State.FetchName;
                return Step.Token;
            case ImapTokenKind.Atom when token.IsNil:
                _fetch!.AddSection(_item, []);
                _state = State.FetchName;
                return Step.Token;
            default:
                throw Invalid(token, "a literal, a string or NIL for " + _item);
        }
    }

    private Step AcceptFlag(in ImapToken token)
    {
        switch (token.Kind)
        {
            case ImapTokenKind.Atom:
                _flags!.Add(token.GetString());
                return Step.Token;
            case ImapTokenKind.ListEnd:
                _fetch!.Flags = _flags;
                _flags = null;
                _state = State.FetchName;
                return Step.Token;
            default:
                throw Invalid(token, "a flag");
        }
    }

    private Step AcceptSkippedListToken(in ImapToken token)
    {
        switch (token.Kind)
        {
            case ImapTokenKind.ListStart:
                _depth++;
                return Step.Token;
            case ImapTokenKind.ListEnd:
                if (--_depth == 0)
                {
                    _state = State.FetchName;
                }

                return Step.Token;
            case ImapTokenKind.Literal:
                _literalIsSection = false;
                return new Step(StepKind.Literal, token.LiteralLength);
            case ImapTokenKind.LineEnd:
                throw Invalid(token, "')'");
            default:
                return Step.Token;
        }
    }

    /// <summary>Items whose value is message content: a literal to stream or keep.</summary>
    private static bool IsSection(string item) =>
        item.StartsWith("BODY[", StringComparison.Ordinal)
        || item.StartsWith("BINARY[", StringComparison.Ordinal)
        || item is "RFC822" or "RFC822.HEADER" or "RFC822.TEXT";

    /// <summary>True when the text ends with "{n}" or "~{n}".</summary>
    private static bool TrailingLiteral(ReadOnlySpan<byte> text, out long length)
    {
        length = 0;
        if (text.IsEmpty || text[^1] != (byte)'}')
        {
            return false;
        }

        var open = text.LastIndexOf((byte)'{');
        if (open < 0)
        {
            return false;
        }

        var digits = text[(open + 1)..^1];
        if (!digits.IsEmpty && digits[^1] == (byte)'+')
        {
            digits = digits[..^1];
        }

        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }

        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            length = (length * 10) + (d - '0');
        }

        return true;
    }
}
