using System.CommandLine;
using System.Globalization;
using SyncServer.Core.Model;

namespace SyncServer.Server.Cli;

/// <summary><c>queue list|retry|delete</c>: the outbound queue, on the same store as a running server (its worker polls it).</summary>
public static class QueueCommands
{
    public static Command Create(CliApp app)
    {
        var queue = new Command("queue", "The outbound queue: mail waiting for other domains' servers");

        var list = new Command("list", "List queued messages: ID, queued at, sender; then each recipient with its state, attempts, next attempt and last error");
        list.SetAction((parse, ct) => app.WithStoreAsync(parse, async (store, _) =>
        {
            foreach (var message in await store.Queue.ListAsync(ct))
            {
                Console.WriteLine($"{message.Id}\t{Time(message.CreatedAt)}\t<{message.MailFrom}>");
                foreach (var r in message.Recipients)
                    Console.WriteLine($"  {r.Address}\t{r.State.ToString().ToLowerInvariant()}\t{r.Attempts}\t{Time(r.NextAttemptAt)}\t{r.LastError ?? "-"}");
            }
            return ExitCodes.Ok;
        }, ct));

        var someId = new Argument<long?>("ID") { Description = "The message to retry (default: every message)", Arity = ArgumentArity.ZeroOrOne };
        var retry = new Command("retry", "Make queued recipients due now (a running server picks them up within a minute)") { someId };
        retry.SetAction((parse, ct) => app.WithStoreAsync(parse, async (store, _) =>
        {
            var id = parse.GetValue(someId) is { } value ? new QueuedMessageId(value) : (QueuedMessageId?)null;
            if (id is { } one && await store.Queue.GetAsync(one, ct) is null)
                return NotFound(one);
            Console.WriteLine($"{await store.Queue.RetryNowAsync(id, TimeProvider.System.GetUtcNow(), ct)} recipients due now");
            return ExitCodes.Ok;
        }, ct));

        var id = new Argument<long>("ID") { Description = "The message to delete (no bounce is sent)" };
        var delete = new Command("delete", "Delete a queued message and all its recipients") { id };
        delete.SetAction((parse, ct) => app.WithStoreAsync(parse, async (store, _) =>
        {
            var message = new QueuedMessageId(parse.GetValue(id));
            return await store.Queue.DeleteAsync(message, ct) ? ExitCodes.Ok : NotFound(message);
        }, ct));

        queue.Subcommands.Add(list);
        queue.Subcommands.Add(retry);
        queue.Subcommands.Add(delete);
        return queue;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static int NotFound(QueuedMessageId id)
    {
        Console.Error.WriteLine($"error: no queued message {id}");
        return ExitCodes.NotFound;
    }
}
