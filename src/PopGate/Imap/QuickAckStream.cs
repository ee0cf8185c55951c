using System.Net.Sockets;

namespace PopGate.Imap;

/// <summary>
/// A socket stream that asks Linux to acknowledge received data at once (TCP_QUICKACK) before every read. A server
/// that writes a reply in several small pieces without TCP_NODELAY (Cyrus imapd) otherwise holds each later piece
/// until our delayed ACK, about 40 ms, for every message fetched. The kernel drops the setting on its own, so it is
/// set again before each read.
/// </summary>
internal sealed class QuickAckStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;
    private static readonly byte[] On = [1, 0, 0, 0];

    private bool _unsupported = !OperatingSystem.IsLinux();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        QuickAck();
        return base.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        QuickAck();
        return base.ReadAsync(buffer, offset, count, cancellationToken);
    }

    private void QuickAck()
    {
        if (_unsupported)
        {
            return;
        }

        try
        {
            Socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, On);
        }
        catch (SocketException)
        {
            _unsupported = true;
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
