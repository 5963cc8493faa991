using System.CommandLine;
using SyncServer.Server.Cli;

// The CLI entry; `serve` hands over to the web host. Process termination is left to the host
// (graceful shutdown), so System.CommandLine must not end the process on SIGTERM itself.
return await new CliApp().Build().Parse(args, CliApp.ParserConfiguration).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
