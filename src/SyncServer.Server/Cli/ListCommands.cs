using System.CommandLine;
using SyncServer.Core.Directory;

namespace SyncServer.Server.Cli;

public static class ListCommands
{
    public static Command Create(CliApp app)
    {
        var lists = new Command("list", "Distribution lists");
        var address = new Argument<string>("ADDRESS") { Description = "The list's address" };

        var policy = new Option<string>("--policy")
        {
            Description = "Who may post: members, domain (anyone in the list's domain), senders (the --sender addresses) or anyone",
            Required = true,
        };
        policy.AcceptOnlyFromAmong("members", "domain", "senders", "anyone");
        var members = new Option<string[]>("--member") { Description = "A member address (repeatable)" };
        var senders = new Option<string[]>("--sender") { Description = "An allowed sender (repeatable)" };
        var add = new Command("add", "Create a list") { address, policy, members, senders };
        add.SetAction((parse, ct) => app.WithDirectoryAsync(parse, async admin => CliApp.Report(await admin.AddListAsync(
            parse.GetValue(address)!, parse.GetValue(policy)!, parse.GetValue(members) ?? [], parse.GetValue(senders) ?? [], ct)), ct));

        var remove = new Command("remove", "Remove a list") { address };
        remove.SetAction((parse, ct) => app.WithDirectoryAsync(parse,
            async admin => CliApp.Report(await admin.RemoveListAsync(parse.GetValue(address)!, ct)), ct));

        // A subcommand cannot share its parent's name in System.CommandLine, so "list list" is "list show".
        var someList = new Argument<string?>("ADDRESS") { Description = "The list to show (default: all lists, one per line)", Arity = ArgumentArity.ZeroOrOne };
        var show = new Command("show", "Show one list (policy, members, senders) or, without ADDRESS, all lists: address, policy, member count") { someList };
        show.SetAction((parse, ct) => app.WithDirectoryAsync(parse, async admin =>
        {
            if (parse.GetValue(someList) is not { } one)
            {
                foreach (var l in await admin.ListListsAsync(ct))
                    Console.WriteLine($"{l.Address}\t{DirectoryAdministration.PolicyName(l.Policy)}\t{l.Members.Count}");
                return ExitCodes.Ok;
            }
            var result = await admin.GetListAsync(one, ct);
            if (result.Value is { } list)
            {
                Console.WriteLine($"address: {list.Address}");
                Console.WriteLine($"policy: {DirectoryAdministration.PolicyName(list.Policy)}");
                foreach (var member in list.Members)
                    Console.WriteLine($"member: {member}");
                foreach (var sender in list.AllowedSenders)
                    Console.WriteLine($"sender: {sender}");
            }
            return CliApp.Report(result.Outcome);
        }, ct));

        lists.Subcommands.Add(add);
        lists.Subcommands.Add(remove);
        lists.Subcommands.Add(show);
        return lists;
    }
}
