using PopGate.Stores;

namespace PopGate.Imap;

/// <summary>What the response reader must do next for the <see cref="ResponseBuilder"/>.</summary>
internal enum StepKind
{
    /// <summary>Read the next token and pass it to <see cref="ResponseBuilder.Accept"/>.</summary>
    Token,

    /// <summary>Read the rest of the line raw and pass it to <see cref="ResponseBuilder.AcceptText"/>.</summary>
    Text,

    /// <summary>Read a literal of <see cref="Step.Length"/> octets: into <see cref="Step.Sink"/>, kept in memory
    /// (<see cref="Step.Keep"/>), or dropped; then call <see cref="ResponseBuilder.AcceptLiteral"/>.</summary>
    Literal,

    /// <summary>Write <see cref="Step.Data"/> (a quoted section) to <see cref="Step.Sink"/>, then call
    /// <see cref="ResponseBuilder.AcceptDelivered"/>.</summary>
    Deliver,

    /// <summary>The response is complete: <see cref="ResponseBuilder.Result"/>.</summary>
    Done,
}

internal readonly record struct Step(StepKind Kind, long Length = 0, IMessageSink? Sink = null, bool Keep = false, byte[]? Data = null)
{
    public static readonly Step Token = new(StepKind.Token);
    public static readonly Step Text = new(StepKind.Text);
    public static readonly Step Done = new(StepKind.Done);
}

/// <summary>
/// Builds one response from tokens, raw text and literals, as a synchronous state machine: the reader owns the
/// I/O and the buffers; this turns what it is given into owned values at once, so nothing points into the
/// pipe's memory after the reader moves on.
/// </summary>
internal sealed partial class ResponseBuilder
{
    private enum State
    {
        Start,
        TagStatus,
        Untagged,
        UntaggedNumber,
        StatusText,
        ContinuationText,
        DataText,
        Skip,
        FetchOpen,
        FetchName,
        FetchValue,
        FetchFlags,
        FetchSkipList,
        FetchEnd,
        NumberedEnd,
    }

    private readonly long _maxKeptLiteral;
    private IResponseHandler? _handler;
    private State _state;
    private string? _tag;
    private ImapStatus _status;
    private string _name = string.Empty;
    private long _number;
    private FetchData? _fetch;
    private string _item = string.Empty;
    private List<string>? _flags;
    private int _depth;
    private bool _literalIsSection;

    public ResponseBuilder(long maxKeptLiteral) => _maxKeptLiteral = maxKeptLiteral;

    public ImapResponse? Result { get; private set; }

    public void Reset(IResponseHandler? handler)
    {
        _handler = handler;
        _state = State.Start;
        _tag = null;
        _fetch = null;
        _flags = null;
        _depth = 0;
        Result = null;
    }

    public Step Accept(in ImapToken token)
    {
        switch (_state)
        {
            case State.Start:
                return AcceptFirst(token);
            case State.TagStatus:
                if (!TryStatus(token, out _status))
                {
                    throw Invalid(token, "a status word after the tag");
                }

                _state = State.StatusText;
                return Step.Text;
            case State.Untagged:
                return AcceptUntagged(token);
            case State.UntaggedNumber:
                return AcceptNumbered(token);
            case State.NumberedEnd:
                if (token.Kind != ImapTokenKind.LineEnd)
                {
                    throw Invalid(token, "the end of the line");
                }

                return Finish(new ImapNumberedResponse(_number, _name));
            case State.FetchOpen:
                if (token.Kind != ImapTokenKind.ListStart)
                {
                    throw Invalid(token, "'(' after FETCH");
                }

                _fetch = new FetchData(_number);
                _state = State.FetchName;
                return Step.Token;
            case State.FetchName:
                return AcceptFetchName(token);
            case State.FetchValue:
                return AcceptFetchValue(token);
            case State.FetchFlags:
                return AcceptFlag(token);
            case State.FetchSkipList:
                return AcceptSkippedListToken(token);
            case State.FetchEnd:
                if (token.Kind != ImapTokenKind.LineEnd)
                {
                    throw Invalid(token, "the end of the FETCH line");
                }

                return Finish(new ImapFetchResponse(_fetch!));
            default:
                throw new InvalidOperationException($"no token expected in state {_state}");
        }
    }

    /// <summary>Takes the raw rest of a line.</summary>
    public Step AcceptText(ReadOnlySpan<byte> text)
    {
        switch (_state)
        {
            case State.StatusText:
                var (code, arguments, human) = ImapResponseText.Parse(text);
                return Finish(new ImapStatusResponse(_tag, _status, code, arguments, human));
            case State.ContinuationText:
                return Finish(new ImapContinuation(System.Text.Encoding.UTF8.GetString(text)));
            case State.DataText:
                return Finish(new ImapDataResponse(_name, System.Text.Encoding.UTF8.GetString(text)));
            case State.Skip:
                // Data this client does not read may still carry literals (a mailbox name in LIST): a line that
                // ends with a literal header continues after the literal's octets.
                if (TrailingLiteral(text, out var length))
                {
                    _literalIsSection = false;
                    return new Step(StepKind.Literal, length);
                }

                return Finish(new ImapDataResponse(_name, string.Empty));
            default:
                throw new InvalidOperationException($"no text expected in state {_state}");
        }
    }

    /// <summary>A literal was read: <paramref name="kept"/> holds it when the step asked to keep it.</summary>
    public Step AcceptLiteral(byte[]? kept, long length, bool streamed)
    {
        if (_state == State.Skip)
        {
            return Step.Text;
        }

        if (_literalIsSection)
        {
            if (streamed)
            {
                _fetch!.AddStreamed(_item, length);
            }
            else if (kept is not null)
            {
                _fetch!.AddSection(_item, kept);
            }

            _literalIsSection = false;
        }

        if (_state == State.FetchValue)
        {
            _state = State.FetchName;
        }

        return Step.Token;
    }

    /// <summary>A quoted section went to its sink.</summary>
    public Step AcceptDelivered(long length)
    {
        _fetch!.AddStreamed(_item, length);
        _state = State.FetchName;
        return Step.Token;
    }

    private Step Finish(ImapResponse response)
    {
        Result = response;
        return Step.Done;
    }

    private static ImapProtocolException Invalid(in ImapToken token, string expected) =>
        new($"unexpected response from the server: {token} where {expected} was expected");
}
