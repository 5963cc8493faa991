namespace SyncServer.Protocols.Pop3;

/// <summary>A parsed POP3 command (RFC 1939 §4–7, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH).</summary>
public abstract record Pop3Command;

public sealed record Capa : Pop3Command;

public sealed record Stls : Pop3Command;

public sealed record User(string Name) : Pop3Command;

/// <summary>The password is the rest of the line: RFC 1939 §7 lets it contain spaces.</summary>
public sealed record Pass(string Password) : Pop3Command
{
    // Never print a password, not even in a test failure or a debug log.
    public override string ToString() => "Pass { Password = *** }";
}

/// <summary>AUTH mechanism [initial-response] (RFC 5034 §4); the response is base64 or "=" for an empty one.</summary>
public sealed record Auth(string Mechanism, string? InitialResponse) : Pop3Command;

public sealed record Stat : Pop3Command;

/// <summary>LIST, for one message or (null) the whole maildrop.</summary>
public sealed record List(int? Message) : Pop3Command;

/// <summary>UIDL, for one message or (null) the whole maildrop.</summary>
public sealed record Uidl(int? Message) : Pop3Command;

public sealed record Retr(int Message) : Pop3Command;

public sealed record Top(int Message, int Lines) : Pop3Command;

public sealed record Dele(int Message) : Pop3Command;

public sealed record Rset : Pop3Command;

public sealed record Noop : Pop3Command;

public sealed record Quit : Pop3Command;
