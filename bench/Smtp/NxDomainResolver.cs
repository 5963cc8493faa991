using System.Net;
using System.Net.Sockets;

namespace SyncServer.Bench.Smtp;

/// <summary>
/// A DNS server on a loopback UDP port that answers every query NXDOMAIN (RFC 1035 §4.1.1 RCODE 3). The server
/// under test asks it for SPF and DMARC records on the MX path, so the benchmark never asks the internet and
/// never waits for a timeout.
/// </summary>
public sealed class NxDomainResolver : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();

    public NxDomainResolver() => _ = AnswerAsync();

    public string Address => $"127.0.0.1:{((IPEndPoint)_udp.Client.LocalEndPoint!).Port}";

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stop.Dispose();
    }

    private async Task AnswerAsync()
    {
        try
        {
            while (true)
            {
                var query = await _udp.ReceiveAsync(_stop.Token);
                if (Answer(query.Buffer) is { } answer)
                    await _udp.SendAsync(answer, query.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    /// <summary>The query's header and question with QR, RA and NXDOMAIN set and no records; null when it is too short to answer.</summary>
    private static byte[]? Answer(byte[] query)
    {
        var end = 12;
        while (end < query.Length && query[end] != 0)
            end += query[end] + 1;
        end += 5; // the root label, QTYPE, QCLASS
        if (end > query.Length)
            return null;
        var answer = query[..end];
        answer[2] = (byte)(0x80 | (query[2] & 0x79)); // QR, the query's opcode and RD
        answer[3] = 0x80 | 3; // RA, NXDOMAIN
        answer[6] = answer[7] = answer[8] = answer[9] = answer[10] = answer[11] = 0; // no answer, authority or additional records
        return answer;
    }
}
