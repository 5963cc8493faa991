using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SyncServer.Server.Tests.Smtp.Outbound;

/// <summary>
/// A minimal authoritative DNS server on a loopback UDP port answering MX, A and TXT queries from a table (RFC 1035
/// §4.1). Names absent from the table are NXDOMAIN; a known name without records of the asked type is an empty answer.
/// </summary>
public sealed class DnsFixture : IDisposable
{
    private const ushort TypeA = 1, TypeMx = 15, TypeTxt = 16, ClassIn = 1;

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Dictionary<string, List<(ushort Type, byte[] Data)>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();

    public DnsFixture() => _ = ServeAsync();

    public string Server => $"127.0.0.1:{((IPEndPoint)_udp.Client.LocalEndPoint!).Port}";

    public DnsFixture Mx(string domain, ushort preference, string host)
    {
        var data = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(data, preference);
        return Add(domain, TypeMx, [.. data, .. Name(host)]);
    }

    public DnsFixture A(string host, IPAddress address) => Add(host, TypeA, address.GetAddressBytes());

    /// <summary>One TXT record; text over 255 bytes is split into several character-strings, as SPF and DKIM keys need (RFC 7208 §3.3).</summary>
    public DnsFixture Txt(string name, string text)
        => Add(name, TypeTxt, [.. Encoding.ASCII.GetBytes(text).Chunk(255).SelectMany(s => (byte[])[(byte)s.Length, .. s])]);

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stop.Dispose();
    }

    private DnsFixture Add(string name, ushort type, byte[] data)
    {
        lock (_records)
        {
            if (!_records.TryGetValue(name.TrimEnd('.'), out var list))
                _records[name.TrimEnd('.')] = list = [];
            list.Add((type, data));
        }
        return this;
    }

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                var request = await _udp.ReceiveAsync(_stop.Token);
                await _udp.SendAsync(Answer(request.Buffer), request.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private byte[] Answer(byte[] query)
    {
        // Header (12 bytes), then one question: labels, type, class.
        var (name, end) = ReadName(query, 12);
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(end));
        List<(ushort Type, byte[] Data)>? records;
        lock (_records)
            records = _records.TryGetValue(name, out var all) ? all.Where(r => r.Type == type).ToList() : null;

        var response = new List<byte>(query[..2]); // id
        ushort flags = 0x8400 | 0x0100 | 0x0080; // QR, AA, RD, RA
        if (records is null)
            flags |= 3; // NXDOMAIN
        response.AddRange(Big(flags));
        response.AddRange(Big(1));
        response.AddRange(Big((ushort)(records?.Count ?? 0)));
        response.AddRange(Big(0));
        response.AddRange(Big(0));
        response.AddRange(query[12..(end + 4)]);
        foreach (var (recordType, data) in records ?? [])
        {
            response.AddRange([0xC0, 12]); // the name: a pointer to the question's
            response.AddRange(Big(recordType));
            response.AddRange(Big(ClassIn));
            response.AddRange([0, 0, 0, 60]); // TTL
            response.AddRange(Big((ushort)data.Length));
            response.AddRange(data);
        }
        return response.ToArray();
    }

    private static (string Name, int End) ReadName(byte[] message, int offset)
    {
        var labels = new List<string>();
        while (message[offset] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(message, offset + 1, message[offset]));
            offset += message[offset] + 1;
        }
        return (string.Join('.', labels), offset + 1);
    }

    private static byte[] Name(string name)
        => [.. name.TrimEnd('.').Split('.').Where(l => l.Length > 0).SelectMany(l => (byte[])[(byte)l.Length, .. Encoding.ASCII.GetBytes(l)]), 0];

    private static byte[] Big(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }
}
