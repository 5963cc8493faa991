using SyncServer.Protocols.Imap;
using SyncServer.Server.Imap.Commands;

namespace SyncServer.Server.Imap;

public sealed partial class ImapSession
{
    private Task DispatchAsync(ImapCommand command, CancellationToken cancellationToken)
    {
        if (!IsAllowed(command))
        {
            Bad(command.Tag, State == ImapSessionState.NotAuthenticated ? "Log in first" : "Command not valid in this state");
            return Task.CompletedTask;
        }
        return command switch
        {
            Capability c => CapabilityCommand.HandleAsync(this, c),
            Noop or Check => OkAsync(command.Tag, "NOOP completed"),
            Logout c => LogoutCommand.HandleAsync(this, c),
            Id c => IdCommand.HandleAsync(this, c),
            StartTls c => StartTlsCommand.HandleAsync(this, c, cancellationToken),
            Login c => LoginCommand.HandleAsync(this, c, cancellationToken),
            Authenticate c => AuthenticateCommand.HandleAsync(this, c, cancellationToken),
            Enable c => EnableCommand.HandleAsync(this, c),
            Namespace c => NamespaceCommand.HandleAsync(this, c),
            List c => ListCommand.HandleAsync(this, c, cancellationToken),
            Lsub c => ListCommand.HandleLsubAsync(this, c, cancellationToken),
            Subscribe c => SubscribeCommand.HandleAsync(this, c, cancellationToken),
            Unsubscribe c => UnsubscribeCommand.HandleAsync(this, c, cancellationToken),
            Status c => StatusCommand.HandleAsync(this, c, cancellationToken),
            Create c => CreateCommand.HandleAsync(this, c, cancellationToken),
            Delete c => DeleteCommand.HandleAsync(this, c, cancellationToken),
            Rename c => RenameCommand.HandleAsync(this, c, cancellationToken),
            Select c => SelectCommand.HandleAsync(this, c, cancellationToken),
            Close c => CloseCommand.HandleAsync(this, c, cancellationToken),
            Unselect c => CloseCommand.HandleUnselectAsync(this, c),
            Expunge c => ExpungeCommand.HandleAsync(this, c, cancellationToken),
            Append c => AppendCommand.HandleAsync(this, c, cancellationToken),
            Fetch c => FetchCommand.HandleAsync(this, c, cancellationToken),
            Store c => StoreCommand.HandleAsync(this, c, cancellationToken),
            Copy c => CopyCommand.HandleAsync(this, c.Tag, c.Uid, c.Set, c.Mailbox, move: false, cancellationToken),
            Move c => CopyCommand.HandleAsync(this, c.Tag, c.Uid, c.Set, c.Mailbox, move: true, cancellationToken),
            Search c => SearchCommand.HandleAsync(this, c, cancellationToken),
            Idle c => IdleCommand.HandleAsync(this, c, cancellationToken),
            Compress c => CompressCommand.HandleAsync(this, c, cancellationToken),
            Sort c => SortCommand.HandleAsync(this, c, cancellationToken),
            ThreadCommand c => ThreadsCommand.HandleAsync(this, c, cancellationToken),
            GetQuota c => GetQuotaCommand.HandleAsync(this, c, cancellationToken),
            GetQuotaRoot c => GetQuotaRootCommand.HandleAsync(this, c, cancellationToken),
            SetQuota c => SetQuotaCommand.HandleAsync(this, c),
            SetAcl c => SetAclCommand.HandleAsync(this, c, cancellationToken),
            DeleteAcl c => DeleteAclCommand.HandleAsync(this, c, cancellationToken),
            GetAcl c => GetAclCommand.HandleAsync(this, c, cancellationToken),
            ListRights c => ListRightsCommand.HandleAsync(this, c, cancellationToken),
            MyRights c => MyRightsCommand.HandleAsync(this, c, cancellationToken),
            GetMetadata c => GetMetadataCommand.HandleAsync(this, c, cancellationToken),
            SetMetadata c => SetMetadataCommand.HandleAsync(this, c, cancellationToken),
            _ => Unsupported(command),
        };
    }

    private Task Unsupported(ImapCommand command)
    {
        Bad(command.Tag, "Command not supported");
        return Task.CompletedTask;
    }

    /// <summary>Which state each command needs (RFC 9051 §6.1–6.4).</summary>
    private bool IsAllowed(ImapCommand command) => command switch
    {
        Capability or Noop or Logout or Id => true,
        StartTls or Login or Authenticate => State == ImapSessionState.NotAuthenticated,
        Check or Close or Unselect or Expunge or Search or Fetch or Store or Copy or Move or Sort or ThreadCommand => State == ImapSessionState.Selected,
        _ => State is ImapSessionState.Authenticated or ImapSessionState.Selected,
    };
}
