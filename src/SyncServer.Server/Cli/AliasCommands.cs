using System.CommandLine;

namespace SyncServer.Server.Cli;

public static class AliasCommands
{
    public static Command Create(CliApp app)
    {
        var alias = new Command("alias", "Aliases: addresses (or @domain catch-alls) that forward to other addresses");
        var source = new Argument<string>("SOURCE") { Description = "An address, or @domain for a catch-all" };

        var targets = new Argument<string[]>("TARGET") { Description = "Addresses to deliver to", Arity = ArgumentArity.OneOrMore };
        var add = new Command("add", "Add targets to an alias, creating it when new") { source, targets };
        add.SetAction((parse, ct) => app.WithDirectoryAsync(parse,
            async admin => CliApp.Report(await admin.AddAliasAsync(parse.GetValue(source)!, parse.GetValue(targets)!, ct)), ct));

        var someTargets = new Argument<string[]>("TARGET") { Description = "Targets to remove (default: the whole alias)", Arity = ArgumentArity.ZeroOrMore };
        var remove = new Command("remove", "Remove targets of an alias, or the whole alias") { source, someTargets };
        remove.SetAction((parse, ct) => app.WithDirectoryAsync(parse,
            async admin => CliApp.Report(await admin.RemoveAliasAsync(parse.GetValue(source)!, parse.GetValue(someTargets) ?? [], ct)), ct));

        var list = new Command("list", "List aliases: SOURCE -> TARGET, TARGET...");
        list.SetAction((parse, ct) => app.WithDirectoryAsync(parse, async admin =>
        {
            foreach (var a in await admin.ListAliasesAsync(ct))
                Console.WriteLine($"{a.Source} -> {string.Join(", ", a.Targets)}");
            return ExitCodes.Ok;
        }, ct));

        alias.Subcommands.Add(add);
        alias.Subcommands.Add(remove);
        alias.Subcommands.Add(list);
        return alias;
    }
}
