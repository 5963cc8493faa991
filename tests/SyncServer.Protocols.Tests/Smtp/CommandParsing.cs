using System.Buffers;
using System.Text;
using SyncServer.Protocols.Common;
using SyncServer.Protocols.Smtp;
using SyncServer.Protocols.Tests.Common;

namespace SyncServer.Protocols.Tests.Smtp;

/// <summary>Runs the command parser over an input whole and at every split, and checks they agree.</summary>
internal static class CommandParsing
{
    public static IReadOnlyList<object> ParseAll(string input, SmtpParserLimits? limits = null) =>
        ParseAll(Encoding.UTF8.GetBytes(input), limits ?? SmtpParserLimits.Default);

    public static IReadOnlyList<object> ParseAll(byte[] input, SmtpParserLimits limits) =>
        SplitInput.ParseAtEverySplit(input, (bytes, readEnds) => Parse(bytes, readEnds, limits), Describe);

    /// <summary>One line in, one command out.</summary>
    public static T Command<T>(string line, SmtpParserLimits? limits = null) where T : SmtpCommand
    {
        var results = ParseAll(line, limits);
        Assert.That(results, Has.Count.EqualTo(1));
        return results[0] as T ?? throw new AssertionException($"expected {typeof(T).Name}, got {results[0]}");
    }

    /// <summary>One line in, one error out.</summary>
    public static SmtpSyntaxError Error(string line, SmtpParserLimits? limits = null)
    {
        var results = ParseAll(line, limits);
        Assert.That(results, Has.Count.EqualTo(1));
        return results[0] as SmtpSyntaxError ?? throw new AssertionException($"expected an error, got {results[0]}");
    }

    private static List<object> Parse(byte[] input, int[] readEnds, SmtpParserLimits limits)
    {
        var results = new List<object>();
        var state = new LineState();
        SplitInput.Feed(input, readEnds, (ref SequenceReader<byte> reader) =>
        {
            while (SmtpCommandParser.TryParse(ref reader, limits, ref state, out var command, out var error))
            {
                Assert.That(command is null, Is.Not.EqualTo(error is null), "exactly one of command and error");
                results.Add((object?)command ?? error!);
            }
        });
        return results;
    }

    // Records compare lists by reference, so the extension parameters are spelled out.
    private static string Describe(IEnumerable<object> results) => string.Join("\n", results.Select(r => r switch
    {
        MailFrom m => m + string.Join(",", m.Extensions),
        RcptTo r2 => r2 + string.Join(",", r2.Extensions),
        _ => r.ToString(),
    }));
}
