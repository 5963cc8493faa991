namespace SyncServer.Protocols.Pop3;

/// <summary>
/// A command line the parser refused. The line has been consumed, so the session answers <c>-ERR</c> with
/// <see cref="Message"/> and goes on reading the next command.
/// </summary>
public sealed record Pop3SyntaxError(string Message)
{
    public static readonly Pop3SyntaxError LineTooLong = new("Line too long");
    public static readonly Pop3SyntaxError BareLineFeed = new("Command line must end with CRLF");
    public static readonly Pop3SyntaxError UnknownCommand = new("Command unrecognized");

    internal static Pop3SyntaxError Arguments(string syntax) => new("Syntax: " + syntax);
}
