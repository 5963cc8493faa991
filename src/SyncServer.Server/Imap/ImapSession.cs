using SyncServer.Core.Changes;
using SyncServer.Core.Model;
using SyncServer.Protocols.Imap;

namespace SyncServer.Server.Imap;

/// <summary>The states of RFC 9051 §3.</summary>
public enum ImapSessionState { NotAuthenticated, Authenticated, Selected, Logout }

/// <summary>
/// One IMAP session: its state, the account and selected mailbox, what the client enabled, and the command loop.
/// Commands are handled one at a time in Commands/ (dispatch in ImapSession.Dispatch.cs).
/// </summary>
public sealed partial class ImapSession(ImapConnection connection, ImapServices services, CancellationToken connectionClosed) : IAsyncDisposable
{
    private readonly HashSet<string> _enabled = new(StringComparer.OrdinalIgnoreCase);
    private IChangeSubscription? _changes;
    // While another account's mailbox is selected: that account's changes (the change log is per account).
    private IChangeSubscription? _ownerChanges;
    private ImapCommand? _current;

    public ImapConnection Connection => connection;

    public ImapServices Services => services;

    public ImapSessionState State { get; private set; } = ImapSessionState.NotAuthenticated;

    public Account? Account { get; private set; }

    public AccountId AccountId => Account?.Id ?? throw new InvalidOperationException("Not authenticated.");

    public MailboxView? Selected { get; private set; }

    /// <summary>Mailbox names travel as UTF-8 once IMAP4rev2 or UTF8=ACCEPT is enabled, else as modified UTF-7.</summary>
    public bool Utf8 => IsEnabled("IMAP4REV2") || IsEnabled("UTF8=ACCEPT");

    /// <summary>RFC 7162 §3.1: once a CONDSTORE-enabling command was seen, FETCH responses carry MODSEQ.</summary>
    public bool CondStore { get; set; }

    /// <summary>RFC 7162 §3.2.3: after ENABLE QRESYNC, removals are reported as VANISHED instead of EXPUNGE.</summary>
    public bool QResync => IsEnabled("QRESYNC");

    /// <summary>A mailbox name from the wire, decoded; null (and BAD written) when it is not valid.</summary>
    public string? MailboxName(string tag, string wire)
    {
        var name = ImapMailboxName.Decode(wire, Utf8);
        if (name is null)
            Bad(tag, "Mailbox name is not valid modified UTF-7");
        return name is null ? null : MailboxTree.Normalise(name);
    }

    public string WireName(string name) => ImapMailboxName.Encode(name, Utf8);

    /// <summary>The mailboxes the user sees: the account's own and those shared with it.</summary>
    public Task<MailboxTree> LoadMailboxesAsync(CancellationToken cancellationToken) =>
        MailboxTree.LoadVisibleAsync(services.Store, services.Directory, AccountId, cancellationToken);

    /// <summary>
    /// The mailbox of that name the user has any right on; null (and NO [NONEXISTENT] written) when there is none,
    /// so a mailbox not shared with the user looks exactly like one that does not exist.
    /// </summary>
    public async Task<Mailbox?> FindMailboxAsync(string tag, string name, CancellationToken cancellationToken)
    {
        var mailbox = (await LoadMailboxesAsync(cancellationToken)).Find(name);
        if (mailbox is null)
            No(tag, "No such mailbox", ImapResponseCode.NonExistent);
        return mailbox;
    }

    public bool IsEnabled(string capability) => _enabled.Contains(capability);

    public void Enable(string capability) => _enabled.Add(capability);

    public async Task RunAsync()
    {
        Write(new ImapStatusResponse(null, ImapStatus.Ok, ImapResponseCode.Capability(ImapCapabilities.For(this)), "SyncServer IMAP ready"));
        await connection.FlushAsync(connectionClosed);
        while (State != ImapSessionState.Logout)
        {
            var outcome = await ReadAsync(connection.ReadCommandAsync);
            switch (outcome)
            {
                case null:
                    return;
                case ImapContinuationRequest:
                    Write(new ImapContinuationResponse("Ready for literal data"));
                    break;
                case ImapSyntaxError error:
                    Write(error.ToResponse());
                    break;
                case ImapCommand command:
                    _current = command;
                    await DispatchAsync(command, connectionClosed);
                    break;
            }
            await connection.FlushAsync(connectionClosed);
        }
    }

    /// <summary>
    /// Reads with the autologout timer of the current state (RFC 9051 §5.4); when it fires, or the server is
    /// stopping (§7.1.5), says BYE and returns null so the session ends. A command already running completes first.
    /// </summary>
    public async Task<T?> ReadAsync<T>(Func<CancellationToken, ValueTask<T?>> read) where T : class
    {
        var timeout = State == ImapSessionState.NotAuthenticated ? services.Options.NotAuthenticatedTimeout : services.Options.AuthenticatedTimeout;
        var stopping = services.Lifetime.ApplicationStopping;
        using var timer = new CancellationTokenSource(timeout, services.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed, timer.Token, stopping);
        try
        {
            return await read(linked.Token);
        }
        catch (OperationCanceledException) when ((timer.IsCancellationRequested || stopping.IsCancellationRequested) && !connectionClosed.IsCancellationRequested)
        {
            await ByeAsync(stopping.IsCancellationRequested ? "Server shutting down" : "Autologout; idle for too long");
            return null;
        }
    }

    public void Write(ImapResponse response) => connection.Write(response);

    /// <summary>
    /// The tagged OK of a command, after the untagged updates other sessions' changes call for (RFC 9051 §5.2):
    /// EXPUNGE is held back during FETCH, STORE, SEARCH, SORT and THREAD, which the client reads by sequence number
    /// (§7.5.1).
    /// </summary>
    public async Task OkAsync(string tag, string text, ImapResponseCode? code = null)
    {
        await SyncSelectedAsync(allowExpunge: _current is not (Fetch { Uid: false } or Store { Uid: false } or Search { Uid: false }
            or Sort { Uid: false } or ThreadCommand { Uid: false }));
        Write(new ImapStatusResponse(tag, ImapStatus.Ok, code, text));
    }

    /// <summary>
    /// Reports messages removed from the view, given highest sequence number first: one EXPUNGE each (so the numbers
    /// of those still to come stay valid), or one VANISHED with their UIDs once QRESYNC is enabled (RFC 7162 §3.2.10).
    /// </summary>
    public IEnumerable<ImapResponse> Removed(IReadOnlyList<(uint SequenceNumber, ImapUid Uid)> removed)
    {
        if (removed.Count == 0)
            return [];
        if (QResync)
            return [new ImapVanishedResponse(ImapSequenceSet.FromNumbers(removed.Select(r => r.Uid.Value)), Earlier: false)];
        return removed.Select(r => new ImapExpungeResponse(r.SequenceNumber));
    }

    public void No(string tag, string text, ImapResponseCode? code = null) => Write(new ImapStatusResponse(tag, ImapStatus.No, code, text));

    public void Bad(string tag, string text, ImapResponseCode? code = null) => Write(new ImapStatusResponse(tag, ImapStatus.Bad, code, text));

    public async Task ByeAsync(string text)
    {
        Write(new ImapStatusResponse(null, ImapStatus.Bye, null, text));
        await connection.FlushAsync(connectionClosed);
        State = ImapSessionState.Logout;
    }

    public void LogIn(Account account)
    {
        Account = account;
        State = ImapSessionState.Authenticated;
        _changes = services.Notifier.Subscribe(account.Id);
    }

    /// <summary>
    /// Whether the user holds <paramref name="rights"/> on the mailbox; when not, NO [NOPERM] is written.
    /// </summary>
    public bool Allowed(string tag, Mailbox mailbox, GrantRights rights)
    {
        if (mailbox.Has(rights))
            return true;
        No(tag, $"Permission denied (needs {AclRights.Format(rights)})", ImapResponseCode.NoPerm);
        return false;
    }

    public void EnterSelected(MailboxView view)
    {
        LeaveSelected();
        Selected = view;
        State = ImapSessionState.Selected;
        if (view.Mailbox.Owner != AccountId)
            _ownerChanges = services.Notifier.Subscribe(view.Mailbox.Owner);
    }

    public void LeaveSelected()
    {
        _ownerChanges?.Dispose();
        _ownerChanges = null;
        Selected = null;
        State = ImapSessionState.Authenticated;
    }

    public void LogOut() => State = ImapSessionState.Logout;

    /// <summary>Completes when another session or protocol commits a change to the account (or the selected mailbox's owner).</summary>
    public async Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new[] { _changes, _ownerChanges }.OfType<IChangeSubscription>()
            .Select(s => s.Changes.WaitToReadAsync(done.Token).AsTask()).ToList();
        if (waits.Count == 0)
            return;
        var first = await Task.WhenAny(waits);
        await done.CancelAsync();
        await first;
    }

    /// <summary>Reports changes made elsewhere to the selected mailbox (EXISTS, EXPUNGE, FETCH FLAGS).</summary>
    public async Task SyncSelectedAsync(bool allowExpunge)
    {
        // Any notification may concern the mailbox; the change log, not the notification, says what changed.
        var notified = false;
        foreach (var subscription in new[] { _changes, _ownerChanges }.OfType<IChangeSubscription>())
        {
            while (subscription.Changes.TryRead(out _))
                notified = true;
        }
        if (Selected is null || !notified && !Selected.HasPendingExpunges)
            return;
        foreach (var response in await Selected.SyncAsync(services.Store, allowExpunge, this, connectionClosed))
            Write(response);
    }

    public ValueTask DisposeAsync()
    {
        _changes?.Dispose();
        _ownerChanges?.Dispose();
        return ValueTask.CompletedTask;
    }
}
