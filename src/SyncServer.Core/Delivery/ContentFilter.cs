using System.Globalization;
using System.Text;

namespace SyncServer.Core.Delivery;

/// <summary>Thresholds and failure policy of the content filters.</summary>
public sealed class ContentFilterOptions
{
    /// <summary>When a filter cannot answer: deliver without its verdict (true) or defer the message with 451 4.7.1 (false).</summary>
    public bool FailOpen { get; set; }

    /// <summary>From this spam score on a message is flagged (<c>X-Spam-Flag: YES</c>) and filed into Junk.</summary>
    public double JunkScore { get; set; } = 5.0;

    /// <summary>From this spam score on a message is refused with 554 5.7.1; null never refuses.</summary>
    public double? RejectScore { get; set; }

    /// <summary>Larger messages are not given to the spam filter (spamc's own default limit is 500 KB).</summary>
    public long MaxSpamScanSize { get; set; } = 512 * 1024;

    /// <summary>Larger messages are not given to the virus scanner (clamd refuses streams over its <c>StreamMaxLength</c>, 25 MB by default).</summary>
    public long MaxVirusScanSize { get; set; } = 25L * 1024 * 1024;
}

/// <summary>
/// What the filters decided about one message: a refusal for every recipient, or the header lines every copy gets
/// (in its per-copy prefix, never in the blob) and whether local copies go to Junk.
/// </summary>
public sealed record FilterVerdict(DeliveryStatus? Refusal, bool Junk, string Headers)
{
    public static readonly FilterVerdict Pass = new(null, false, "");
}

/// <summary>
/// The delivery filters (issue 3 item 8): a virus scanner and a spam classifier, each optional, consulted by local
/// delivery at commit (the end of DATA or the last BDAT), so a refusal is the reply to the data and nothing is half
/// delivered. Mail from other servers (MX) is scanned for viruses and scored for spam; submitted mail is scanned for
/// viruses only (our own users' mail is not junked); mail the server makes itself is not filtered.
/// </summary>
public sealed class ContentFilter(ContentFilterOptions options, ISpamClassifier? spam = null, IVirusScanner? virus = null)
{
    public static readonly DeliveryStatus Spam = new(554, "5.7.1", "message refused as spam");
    public static readonly DeliveryStatus Unavailable = new(451, "4.7.1", "content filter unavailable, try again later");

    public static DeliveryStatus Infected(string virusName) => new(554, "5.7.1", $"message refused: virus {HeaderToken(virusName)} found");

    internal async Task<FilterVerdict> CheckAsync(DeliveryOrigin origin, Func<Stream> open, long length, string serverName, CancellationToken cancellationToken)
    {
        if (origin.Channel == DeliveryChannel.Internal)
            return FilterVerdict.Pass;
        var headers = new StringBuilder();
        if (virus is not null && length <= options.MaxVirusScanSize)
        {
            string? found;
            try
            {
                await using var message = open();
                found = await virus.ScanAsync(message, cancellationToken);
                headers.Append("X-Virus-Scanned: ").Append(HeaderToken(virus.Name)).Append(" at ").Append(HeaderToken(serverName)).Append("\r\n");
            }
            catch (FilterUnavailableException) when (options.FailOpen)
            {
                found = null;
            }
            catch (FilterUnavailableException)
            {
                return new FilterVerdict(Unavailable, false, "");
            }
            if (found is not null)
                return new FilterVerdict(Infected(found), false, "");
        }
        var junk = false;
        if (spam is not null && origin.Channel == DeliveryChannel.Mx && length <= options.MaxSpamScanSize)
        {
            try
            {
                await using var message = open();
                var report = await spam.ClassifyAsync(message, cancellationToken);
                if (report.Score >= options.RejectScore)
                    return new FilterVerdict(Spam, false, "");
                junk = report.Score >= options.JunkScore;
                headers.Insert(0, SpamHeaders(report, junk));
            }
            catch (FilterUnavailableException) when (options.FailOpen)
            {
            }
            catch (FilterUnavailableException)
            {
                return new FilterVerdict(Unavailable, false, "");
            }
        }
        return new FilterVerdict(null, junk, headers.ToString());
    }

    /// <summary>SpamAssassin's header fields: the flag, the score, and the status with the matched rules folded into lines under 78 characters.</summary>
    private string SpamHeaders(SpamReport report, bool junk)
    {
        var score = report.Score.ToString("0.0", CultureInfo.InvariantCulture);
        var lines = new StringBuilder()
            .Append("X-Spam-Flag: ").Append(junk ? "YES" : "NO").Append("\r\n")
            .Append("X-Spam-Score: ").Append(score).Append("\r\n");
        var status = new StringBuilder("X-Spam-Status: ").Append(junk ? "Yes" : "No").Append(", score=").Append(score)
            .Append(" required=").Append(options.JunkScore.ToString("0.0", CultureInfo.InvariantCulture)).Append(" tests=");
        var lineStart = 0;
        var symbols = report.Symbols.Select(HeaderToken).Where(s => s.Length > 0).ToList();
        for (var i = 0; i < symbols.Count; i++)
        {
            if (status.Length - lineStart + symbols[i].Length > 76)
            {
                status.Append("\r\n\t");
                lineStart = status.Length - 1;
            }
            status.Append(symbols[i]).Append(i < symbols.Count - 1 ? "," : "");
        }
        if (symbols.Count == 0)
            status.Append("none");
        return lines.Append(status).Append("\r\n").ToString();
    }

    // Names come from the daemons: keep only what a rule or signature name is made of, so nothing can forge a line.
    private static string HeaderToken(string text)
        => new(text.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ':').Take(200).ToArray());
}
