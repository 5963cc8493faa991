using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit.Utils;

namespace SyncServer.Core.Delivery;

/// <summary>The trace header lines delivery adds before a message (RFC 5321 §4.4), as CRLF-terminated text.</summary>
internal static class TraceHeaders
{
    /// <summary>
    /// <c>Received: from HELO ([ip]) by us with ESMTP[S][A] id ID [for &lt;rcpt&gt;]; date</c>. No reverse DNS
    /// lookup, so the TCP-info is the address literal alone. The protocol name follows RFC 3848: S for TLS, A for
    /// an authenticated client. <c>for</c> only with one recipient, so the line never lists who else got a copy.
    /// </summary>
    public static string Received(DeliveryOrigin origin, string serverName, string id, string? singleRecipient, DateTimeOffset now)
    {
        var line = new StringBuilder("Received: from ").Append(HeaderSafe(origin.HeloName ?? "localhost"));
        if (origin.RemoteAddress is { } ip)
            line.Append(" (").Append(AddressLiteral(ip)).Append(')');
        line.Append("\r\n\tby ").Append(HeaderSafe(serverName))
            .Append(" with ESMTP").Append(origin.IsTls ? "S" : "").Append(origin.AuthenticatedAccount is null ? "" : "A")
            .Append(" id ").Append(id);
        if (singleRecipient is not null)
            line.Append("\r\n\tfor <").Append(HeaderSafe(singleRecipient)).Append('>');
        return line.Append(";\r\n\t").Append(DateUtils.FormatDate(now)).Append("\r\n").ToString();
    }

    /// <summary>What a local copy starts with: Return-Path (RFC 5321 §4.4), Delivered-To (its final address), then our trace lines.</summary>
    public static byte[] LocalPrefix(string? mailFrom, string deliveredTo, string trace)
        => Encoding.UTF8.GetBytes($"Return-Path: <{HeaderSafe(mailFrom ?? "")}>\r\nDelivered-To: {HeaderSafe(deliveredTo)}\r\n{trace}");

    private static string AddressLiteral(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        return ip.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[IPv6:{ip}]")
            : string.Create(CultureInfo.InvariantCulture, $"[{ip}]");
    }

    // Values come from the client (HELO) or from envelope addresses: a CR, LF or space would let them forge lines.
    private static string HeaderSafe(string text)
        => string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsControl(source[i]) || char.IsWhiteSpace(source[i]) ? '?' : source[i];
        });
}
