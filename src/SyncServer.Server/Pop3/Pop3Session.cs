using System.Net;
using SyncServer.Core.Model;
using SyncServer.Protocols.Pop3;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Pop3;

/// <summary>
/// The states of RFC 1939 §3. UPDATE is entered by QUIT from TRANSACTION, lasts as long as that command, and ends
/// the session, so it needs no state of its own here: <see cref="Closed"/> follows it.
/// </summary>
internal enum Pop3State { Authorization, Transaction, Closed }

/// <summary>One POP3 session: its state, the user named by USER, the account and its maildrop once logged in.</summary>
internal sealed class Pop3Session(LineConnection connection, IPAddress? remoteAddress, Pop3Services services)
{
    private Maildrop? _maildrop;

    public LineConnection Connection => connection;

    public IPAddress? RemoteAddress => remoteAddress;

    public Pop3Services Services => services;

    public Pop3State State { get; set; } = Pop3State.Authorization;

    /// <summary>The name given by USER, waiting for PASS (RFC 1939 §7).</summary>
    public string? UserName { get; set; }

    public Account? Account { get; private set; }

    public Maildrop Maildrop => _maildrop ?? throw new InvalidOperationException("Not in the TRANSACTION state.");

    public void Ok(string text) => Pop3ResponseWriter.Ok(connection.Output, text);

    /// <summary><c>-ERR</c>, with an extended response code (RFC 2449 §8, RFC 3206) when the client can act on it.</summary>
    public void Err(string text, string? code = null) => Pop3ResponseWriter.Err(connection.Output, text, code);

    /// <summary>A line of a multi-line response; <see cref="End"/> terminates it.</summary>
    public void Line(string text) => Pop3ResponseWriter.Line(connection.Output, text);

    /// <summary>The empty server challenge of an AUTH exchange (RFC 5034 §4).</summary>
    public void Continue() => Pop3ResponseWriter.Continuation(connection.Output);

    public void End() => Pop3ResponseWriter.End(connection.Output);

    /// <summary>Message bytes, dot-stuffed, as the body of a multi-line response.</summary>
    public void Content(ReadOnlySpan<byte> content) => Pop3ResponseWriter.Content(connection.Output, content);

    /// <summary>Enters TRANSACTION with the INBOX as it is now.</summary>
    public async Task LogInAsync(Account account, CancellationToken cancellationToken)
    {
        _maildrop = await Maildrop.OpenAsync(services.Store, account.Id, cancellationToken);
        Account = account;
        State = Pop3State.Transaction;
    }
}
