namespace SyncServer.Core.Delivery;

/// <summary>What a spam filter says about a message: its score and the names of the rules that matched.</summary>
public sealed record SpamReport(double Score, IReadOnlyList<string> Symbols);

/// <summary>
/// The spam filter seam of local delivery (the server's spamd client). <see cref="ContentFilter"/> calls it once per
/// message at commit, before anything is stored, and turns the score into a verdict.
/// </summary>
public interface ISpamClassifier
{
    /// <summary>
    /// Scores the message as received (without our trace headers); <paramref name="message"/> is a read-only file
    /// stream positioned at 0. Throws <see cref="FilterUnavailableException"/> when the filter cannot answer.
    /// </summary>
    Task<SpamReport> ClassifyAsync(Stream message, CancellationToken cancellationToken);
}

/// <summary>The virus scanner seam of local delivery (the server's clamd client).</summary>
public interface IVirusScanner
{
    /// <summary>The scanner's name in the <c>X-Virus-Scanned</c> header.</summary>
    string Name { get; }

    /// <summary>
    /// The name of the virus found in <paramref name="message"/> (a read-only file stream positioned at 0), null when
    /// it is clean. Throws <see cref="FilterUnavailableException"/> when the scanner cannot answer.
    /// </summary>
    Task<string?> ScanAsync(Stream message, CancellationToken cancellationToken);
}

/// <summary>A filter daemon could not be reached or did not answer in time: what happens then is <see cref="ContentFilterOptions.FailOpen"/>.</summary>
public sealed class FilterUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
