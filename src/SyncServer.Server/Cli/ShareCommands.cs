using System.CommandLine;
using SyncServer.Core.Directory;

namespace SyncServer.Server.Cli;

/// <summary><c>share add|remove|list</c>: calendars, task lists and address books shared with other accounts.</summary>
public static class ShareCommands
{
    public static Command Create(CliApp app)
    {
        var share = new Command("share", "Share calendars, task lists and address books with other accounts");
        var owner = new Argument<string>("OWNER_ADDRESS") { Description = "The account that owns the collection" };
        var collection = new Argument<string>("COLLECTION") { Description = "The collection's name: calendar, tasks, contacts or one created by a client" };
        var grantee = new Argument<string>("GRANTEE_ADDRESS") { Description = "The account to share it with" };
        var rights = new Option<string>("--rights")
        {
            Description = "read, or read-write (create, change and delete entries)",
            Required = true,
        };
        rights.AcceptOnlyFromAmong("read", "read-write");

        var add = new Command("add", "Share a collection, or change the rights of a share") { owner, collection, grantee, rights };
        add.SetAction((parse, ct) => WithSharingAsync(app, parse, async sharing => CliApp.Report(await sharing.AddShareAsync(
            parse.GetValue(owner)!, parse.GetValue(collection)!, parse.GetValue(grantee)!, parse.GetValue(rights)!, ct)), ct));

        var remove = new Command("remove", "Stop sharing a collection with an account") { owner, collection, grantee };
        remove.SetAction((parse, ct) => WithSharingAsync(app, parse, async sharing => CliApp.Report(await sharing.RemoveShareAsync(
            parse.GetValue(owner)!, parse.GetValue(collection)!, parse.GetValue(grantee)!, ct)), ct));

        var address = new Argument<string?>("ADDRESS") { Description = "Only shares this account owns or receives", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "List shares: OWNER/COLLECTION -> GRANTEE (rights)") { address };
        list.SetAction((parse, ct) => WithSharingAsync(app, parse, async sharing =>
        {
            var shares = await sharing.ListSharesAsync(parse.GetValue(address), ct);
            if (!shares.IsOk)
                return CliApp.Report(shares.Outcome);
            foreach (var s in shares.Value!)
                Console.WriteLine($"{s.Owner}/{s.Collection} -> {s.Grantee} ({SharingAdministration.RightsName(s.Rights)})");
            return ExitCodes.Ok;
        }, ct));

        share.Subcommands.Add(add);
        share.Subcommands.Add(remove);
        share.Subcommands.Add(list);
        return share;
    }

    private static Task<int> WithSharingAsync(CliApp app, ParseResult parse, Func<SharingAdministration, Task<int>> action, CancellationToken cancellationToken)
        => app.WithStoreAsync(parse, (store, _) => action(new SharingAdministration(store.Directory, store.Store)), cancellationToken);
}
