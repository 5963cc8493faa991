namespace SyncServer.Protocols.Smtp;

/// <summary>
/// One SMTP reply (RFC 5321 §4.2). <see cref="EnhancedCode"/> (RFC 2034/3463, e.g. <c>2.1.5</c>) is written on
/// every line; it is null for the greeting and the HELO/EHLO reply, which RFC 2034 §3 exempts, and for 354.
/// </summary>
public sealed record SmtpReply(int Code, string? EnhancedCode, IReadOnlyList<string> Lines)
{
    public SmtpReply(int code, string? enhancedCode, string line)
        : this(code, enhancedCode, [line])
    {
    }
}
