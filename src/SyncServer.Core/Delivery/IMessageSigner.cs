namespace SyncServer.Core.Delivery;

/// <summary>
/// The signing seam of local delivery: submitted mail from a domain we serve is signed (DKIM) once, at commit,
/// before its blob is written, so the local copies and the queued copy for remote recipients carry the same
/// signature. The server implements it; without one nothing is signed.
/// </summary>
public interface IMessageSigner
{
    /// <summary>Reads the message from <paramref name="input"/> and writes it signed for <paramref name="domain"/> to <paramref name="output"/>.</summary>
    Task SignAsync(Stream input, Stream output, string domain, CancellationToken cancellationToken);
}
