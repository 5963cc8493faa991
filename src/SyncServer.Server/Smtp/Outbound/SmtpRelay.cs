using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Core.Delivery;
using SyncServer.Core.Model;
using SyncServer.Core.Store;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Smtp.Outbound;

/// <summary>
/// One delivery attempt of a queued message to one destination: the recipients' mail exchangers in preference
/// order, or the smart host. Every recipient gets a status; connection failures are transient.
/// </summary>
public sealed partial class SmtpRelay(SyncServerSettings settings, IMailExchangeResolver resolver, IBlobStore blobs, ILogger<SmtpRelay> logger)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    // RFC 5321 §4.5.3.2 asks for minutes per step; MailKit's one timeout covers every read and write.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly QueueSettings _queue = settings.Queue;
    private readonly (string Host, int Port)? _smartHost =
        QueueSettings.TryParseSmartHost(settings.Queue.SmartHost ?? "", out var host, out var port) ? (host, port) : null;

    /// <summary>Recipients with the same route go in one transaction: all of them through a smart host, else per domain.</summary>
    public string RouteOf(QueuedRecipient recipient) => _smartHost is null ? recipient.Domain.ToLowerInvariant() : "";

    /// <summary>
    /// Sends the message to <paramref name="recipients"/> (one route). <paramref name="onAccepted"/> runs as soon as the
    /// server took the message for some of them, before anything else can fail, so they are never sent twice.
    /// </summary>
    public async Task<IReadOnlyList<(QueuedRecipient Recipient, DeliveryStatus Status)>> SendAsync(QueuedMessage message,
        IReadOnlyList<QueuedRecipient> recipients, Func<IReadOnlyList<QueuedRecipient>, Task> onAccepted, CancellationToken cancellationToken)
    {
        var (hosts, failure) = await DestinationAsync(recipients[0].Domain, cancellationToken);
        foreach (var host in hosts)
        {
            foreach (var address in host.Addresses)
            {
                using var client = new OutboundSmtpClient { LocalDomain = settings.ServerName, Timeout = (int)CommandTimeout.TotalMilliseconds };
                try
                {
                    await ConnectAsync(client, host.Host, address, cancellationToken);
                }
                catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
                {
                    Log.HostUnreachable(logger, host.Host, address, e.Message);
                    failure = Transient($"{host.Host} [{address}]: {e.Message}");
                    continue;
                }
                return await TransactAsync(client, message, recipients, onAccepted, cancellationToken);
            }
        }
        return recipients.Select(r => (r, failure ?? Transient("no mail exchanger answered"))).ToList();
    }

    private async Task<(IReadOnlyList<MailExchange> Hosts, DeliveryStatus? Failure)> DestinationAsync(string domain, CancellationToken cancellationToken)
    {
        if (_smartHost is not { Host: var host })
        {
            var lookup = await resolver.ResolveAsync(domain, cancellationToken);
            return (lookup.Hosts, lookup.Failure);
        }
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        return ([new MailExchange(host, addresses)], null);
    }

    private async Task ConnectAsync(OutboundSmtpClient client, string host, IPAddress address, CancellationToken cancellationToken)
    {
        var port = _smartHost?.Port ?? _queue.RemotePort;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
            if (_smartHost is null)
            {
                // Opportunistic TLS as MTAs do it: encryption against passive listeners; MX names carry no certificate promise.
                client.ServerCertificateValidationCallback = (_, _, _, _) => true;
                await client.ConnectAsync(socket, host, port, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
                return;
            }
            await client.ConnectAsync(socket, host, port, _queue.SmartHostTls, cancellationToken);
            if (!string.IsNullOrEmpty(_queue.SmartHostUser))
                await client.AuthenticateAsync(_queue.SmartHostUser, _queue.SmartHostPassword ?? "", cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<IReadOnlyList<(QueuedRecipient, DeliveryStatus)>> TransactAsync(OutboundSmtpClient client, QueuedMessage message,
        IReadOnlyList<QueuedRecipient> recipients, Func<IReadOnlyList<QueuedRecipient>, Task> onAccepted, CancellationToken cancellationToken)
    {
        client.UseEnvelope(message, recipients);
        DeliveryStatus? common;
        try
        {
            await using var body = await ItemContent.OpenAsync(message.HeaderPrefix, message.Blob, blobs, cancellationToken);
            using var mime = await MimeMessage.LoadAsync(body, persistent: true, cancellationToken);
            // The null reverse path <> is an empty address.
            var sender = new MailboxAddress("", message.MailFrom ?? "");
            var reply = await client.SendAsync(FormatOptions.Default, mime, sender,
                recipients.Select(r => new MailboxAddress("", r.Address)), cancellationToken);
            common = Status(250, reply);
            await onAccepted(recipients.Where(r => !client.Refused.ContainsKey(r.Address)).ToList());
        }
        catch (SmtpCommandException e)
        {
            common = Status((int)e.StatusCode, e.Message);
        }
        catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
        {
            common = Transient(e.Message);
        }
        await QuitAsync(client);
        return recipients.Select(r => (r, client.Refused.TryGetValue(r.Address, out var refused)
            ? Status((int)refused.StatusCode, refused.Response) : common)).ToList();
    }

    // The outcome is recorded already; a failed QUIT changes nothing about it.
    private static async Task QuitAsync(OutboundSmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or SocketException or OperationCanceledException)
        {
        }
    }

    private static bool IsConnectionFailure(Exception e, CancellationToken stopping) => e switch
    {
        OperationCanceledException => !stopping.IsCancellationRequested,
        SocketException or IOException or SmtpProtocolException or SmtpCommandException or SslHandshakeException
            or AuthenticationException or ServiceNotConnectedException or ProtocolException => true,
        _ => false,
    };

    private static DeliveryStatus Transient(string text) => new(451, "4.4.1", text);

    /// <summary>A reply as a status: the enhanced code from the start of the text when the server gave one (RFC 3463).</summary>
    private static DeliveryStatus Status(int code, string text)
    {
        var match = EnhancedCode().Match(text);
        return match.Success
            ? new DeliveryStatus(code, match.Value, text[match.Length..].Trim())
            : new DeliveryStatus(code, $"{code / 100}.0.0", text.Trim());
    }

    [GeneratedRegex(@"^[245]\.\d{1,3}\.\d{1,3}")]
    private static partial Regex EnhancedCode();
}
