namespace SyncServer.Protocols.Smtp;

/// <summary>The replies every session sends, as values; anything carrying a name is built by a method.</summary>
public static class SmtpReplies
{
    public static readonly SmtpReply Ok = new(250, "2.0.0", "OK");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Sender OK");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Recipient OK");
    public static readonly SmtpReply StartMailInput = new(354, null, "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "Ready to start TLS");
    public static readonly SmtpReply Closing = new(221, "2.0.0", "Bye");
    public static readonly SmtpReply CannotVerify = new(252, "2.5.0", "Cannot VRFY user, but will accept message");
    public static readonly SmtpReply HelpText = new(214, "2.0.0", "See RFC 5321");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "Bad sequence of commands");
    public static readonly SmtpReply NotImplemented = new(502, "5.5.1", "Command not implemented");
    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static readonly SmtpReply BareLineEnding = new(554, "5.6.0", "Bare CR or LF in message; lines must end with CRLF");
    public static readonly SmtpReply ServiceClosing = new(421, "4.3.0", "Service not available, closing channel");

    /// <summary>The greeting (RFC 5321 §4.2; no enhanced code, RFC 2034 §3).</summary>
    public static SmtpReply Greeting(string serverDomain) => new(220, null, $"{serverDomain} ESMTP ready");

    /// <summary>
    /// The EHLO reply (RFC 5321 §4.1.1.1): the server's domain and greeting, then one extension per line, each
    /// an ehlo-keyword optionally followed by its parameters, e.g. <c>SIZE 52428800</c> (see
    /// <see cref="SmtpExtensions"/>).
    /// </summary>
    public static SmtpReply Ehlo(string serverDomain, string greeting, IEnumerable<string> extensions)
    {
        var lines = new List<string> { $"{serverDomain} {greeting}" };
        foreach (var extension in extensions)
        {
            var keyword = extension.Split(' ')[0];
            if (keyword.Length == 0 || !char.IsAsciiLetterOrDigit(keyword[0])
                || !keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                throw new ArgumentException($"'{extension}' does not start with an ehlo-keyword.", nameof(extensions));
            lines.Add(extension);
        }
        return new SmtpReply(250, null, lines);
    }

    /// <summary>HELO's reply: the server's domain only, no extensions.</summary>
    public static SmtpReply Helo(string serverDomain) => new(250, null, serverDomain);
}

/// <summary>EHLO keywords of the extensions the server offers (the IANA SMTP Service Extensions names).</summary>
public static class SmtpExtensions
{
    public const string Pipelining = "PIPELINING";
    public const string EightBitMime = "8BITMIME";
    public const string SmtpUtf8 = "SMTPUTF8";
    public const string EnhancedStatusCodes = "ENHANCEDSTATUSCODES";
    public const string Chunking = "CHUNKING";
    public const string BinaryMime = "BINARYMIME";
    public const string Dsn = "DSN";
    public const string StartTls = "STARTTLS";

    /// <summary>RFC 1870: SIZE with the fixed maximum message size in octets.</summary>
    public static string Size(long maxMessageSize) => FormattableString.Invariant($"SIZE {maxMessageSize}");

    /// <summary>RFC 4954: AUTH with the mechanisms offered, e.g. <c>AUTH PLAIN LOGIN</c>.</summary>
    public static string Auth(IEnumerable<string> mechanisms) => "AUTH " + string.Join(' ', mechanisms);
}
