using System.Threading.Channels;
using SyncServer.Core.Changes;
using SyncServer.Core.Model;

namespace SyncServer.Storage.Notifications;

/// <summary>
/// Delivers notifications to subscribers in this process. Each subscriber has a small bounded channel that
/// drops its oldest entry when full: the publisher never waits, and a slow reader only needs the latest modseq.
/// </summary>
public sealed class InProcessChangeNotifier : IChangeNotifier
{
    private const int SubscriberCapacity = 64;
    private readonly Lock _gate = new();
    private readonly Dictionary<AccountId, HashSet<Subscription>> _subscribers = [];

    public IChangeSubscription Subscribe(AccountId account)
    {
        var subscription = new Subscription(this, account);
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(account, out var set))
                _subscribers[account] = set = [];
            set.Add(subscription);
        }
        return subscription;
    }

    public ValueTask PublishAsync(ChangeNotification notification, CancellationToken cancellationToken)
    {
        Subscription[] targets;
        lock (_gate)
            targets = _subscribers.TryGetValue(notification.Account, out var set) ? [.. set] : [];
        foreach (var subscription in targets)
            subscription.Writer.TryWrite(notification);
        return ValueTask.CompletedTask;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (_subscribers.TryGetValue(subscription.Account, out var set) && set.Remove(subscription) && set.Count == 0)
                _subscribers.Remove(subscription.Account);
        }
    }

    private sealed class Subscription(InProcessChangeNotifier owner, AccountId account) : IChangeSubscription
    {
        private readonly Channel<ChangeNotification> _channel = Channel.CreateBounded<ChangeNotification>(
            new BoundedChannelOptions(SubscriberCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public AccountId Account { get; } = account;
        public ChannelReader<ChangeNotification> Changes => _channel.Reader;
        public ChannelWriter<ChangeNotification> Writer => _channel.Writer;

        public void Dispose()
        {
            owner.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
