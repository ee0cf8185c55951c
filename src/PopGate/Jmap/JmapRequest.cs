using System.Buffers;
using System.Text.Json;

namespace PopGate.Jmap;

/// <summary>Builds one JMAP Request object (RFC 8620 section 3.3): the capabilities used and the method calls.</summary>
public sealed class JmapRequest : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;
    private bool _finished;

    public JmapRequest(params string[] capabilities)
    {
        _writer = new Utf8JsonWriter(_buffer);
        _writer.WriteStartObject();
        _writer.WriteStartArray("using"u8);
        foreach (var capability in capabilities)
        {
            _writer.WriteStringValue(capability);
        }

        _writer.WriteEndArray();
        _writer.WriteStartArray("methodCalls"u8);
    }

    /// <summary>How many method calls were added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a call; <paramref name="arguments"/> writes the properties of the arguments object.</summary>
    public JmapRequest Call(string method, string callId, Action<Utf8JsonWriter> arguments)
    {
        _writer.WriteStartArray();
        _writer.WriteStringValue(method);
        _writer.WriteStartObject();
        arguments(_writer);
        _writer.WriteEndObject();
        _writer.WriteStringValue(callId);
        _writer.WriteEndArray();
        Count++;
        return this;
    }

    /// <summary>The request body; no calls can be added afterwards.</summary>
    public ReadOnlyMemory<byte> ToUtf8()
    {
        if (!_finished)
        {
            _writer.WriteEndArray();
            _writer.WriteEndObject();
            _writer.Flush();
            _finished = true;
        }

        return _buffer.WrittenMemory;
    }

    /// <summary>Writes a result reference (RFC 8620 section 3.7) as the value of "#name".</summary>
    public static void WriteReference(Utf8JsonWriter writer, string argument, string resultOf, string method, string path)
    {
        writer.WriteStartObject("#" + argument);
        writer.WriteString("resultOf"u8, resultOf);
        writer.WriteString("name"u8, method);
        writer.WriteString("path"u8, path);
        writer.WriteEndObject();
    }

    public void Dispose() => _writer.Dispose();
}
