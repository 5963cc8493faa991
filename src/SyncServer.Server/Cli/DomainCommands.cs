using System.CommandLine;
using SyncServer.Core.Directory;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Cli;

public static class DomainCommands
{
    public static Command Create(CliApp app)
    {
        var domain = new Command("domain", "Mail domains served here");

        var name = new Argument<string>("NAME") { Description = "Domain name, e.g. example.org" };
        var add = new Command("add", "Add a domain") { name };
        add.SetAction((parse, ct) => app.WithDirectoryAsync(parse,
            async admin => CliApp.Report(await admin.AddDomainAsync(parse.GetValue(name)!, ct)), ct));

        var list = new Command("list", "List domains, one per line");
        list.SetAction((parse, ct) => app.WithDirectoryAsync(parse, async admin =>
        {
            foreach (var d in await admin.ListDomainsAsync(ct))
                Console.WriteLine(d.Name);
            return ExitCodes.Ok;
        }, ct));

        var remove = new Command("remove", "Remove a domain that has no accounts, aliases or lists left") { name };
        remove.SetAction((parse, ct) => app.WithDirectoryAsync(parse,
            async admin => CliApp.Report(await admin.RemoveDomainAsync(parse.GetValue(name)!, ct)), ct));

        var dkim = new Command("dkim", "Print the domain's DKIM DNS TXT record (its key is made on first use)") { name };
        dkim.SetAction((parse, ct) => app.WithStoreAsync(parse, async (store, settings) =>
        {
            var given = parse.GetValue(name)!;
            if (!EmailAddress.TryParseDomain(given, out var domainName) || await store.Directory.GetDomainAsync(domainName, ct) is null)
                return CliApp.Report(AdminResult.NotFound($"no domain {given}"));
            var record = await DkimKeys.For(settings).GetDnsRecordAsync(domainName, ct);
            Console.WriteLine(DkimKeys.ZoneLine(settings.Dkim.Selector, domainName, record));
            return ExitCodes.Ok;
        }, ct));

        domain.Subcommands.Add(add);
        domain.Subcommands.Add(list);
        domain.Subcommands.Add(remove);
        domain.Subcommands.Add(dkim);
        return domain;
    }
}
