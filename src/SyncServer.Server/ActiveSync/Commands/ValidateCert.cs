using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Commands;

/// <summary>
/// ValidateCert (MS-ASCMD 2.2.1.22, statuses 2.2.3.177.18; client-requirements EAS-VC-01): each certificate of an
/// S/MIME message (base64 DER) is chained with .NET's X509Chain against the system's roots, the client's
/// CertificateChain as intermediates, at the server's time, for e-mail protection. Revocation is looked up only when
/// the client sends CheckCRL 1, and then only in what the machine already holds (no fetch from the server). Each
/// certificate gets its own Status: 1 valid, 3 bad signature, 4 untrusted root, 5 chain not buildable, 6 not for
/// e-mail, 7 expired or not yet valid, 8 periods not nested, 10 not a certificate, 13/15 revoked (itself / in the
/// chain), 16 revocation unknown. The top Status is 1 when the request was read, 2 when it was malformed.
/// </summary>
public sealed class ValidateCert(TimeProvider time) : IActiveSyncCommand
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.ValidateCert;
    private const int Success = 1, ProtocolError = 2, BadSignature = 3, Untrusted = 4, ChainNotCorrect = 5, NotForEmail = 6, NotTimeValid = 7,
        NotTimeNested = 8, IncorrectInformation = 10, Revoked = 13, RevokedInChain = 15, RevocationUnknown = 16;
    private const int MaxCertificates = 100;
    private static readonly Oid SecureEmail = new("1.3.6.1.5.5.7.3.4");

    public string Name => "ValidateCert";

    public XName Root => Ns + "ValidateCert";

    public Task<ActiveSyncResponse> HandleAsync(ActiveSyncRequest request, CancellationToken cancellationToken)
    {
        var asked = request.Body?.Element(Ns + "Certificates")?.Elements(Ns + "Certificate").ToList() ?? [];
        var chain = request.Body?.Element(Ns + "CertificateChain")?.Elements(Ns + "Certificate").ToList() ?? [];
        if (asked.Count == 0 || asked.Count + chain.Count > MaxCertificates)
            return Task.FromResult(new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", ProtocolError))));
        var checkRevocation = (string?)request.Body!.Element(Ns + "CheckCRL") == "1";
        var intermediates = new X509Certificate2Collection(chain.Select(c => Parse(c.Value)).OfType<X509Certificate2>().ToArray());
        try
        {
            var answers = asked.Select(c => new XElement(Ns + "Certificate", new XElement(Ns + "Status", Validate(c.Value, intermediates, checkRevocation))))
                .ToList();
            return Task.FromResult(new ActiveSyncResponse(new XElement(Root, new XElement(Ns + "Status", Success), answers)));
        }
        finally
        {
            foreach (var certificate in intermediates)
                certificate.Dispose();
        }
    }

    private int Validate(string base64, X509Certificate2Collection intermediates, bool checkRevocation)
    {
        using var certificate = Parse(base64);
        if (certificate is null)
            return IncorrectInformation;
        using var chain = new X509Chain();
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.RevocationMode = checkRevocation ? X509RevocationMode.Offline : X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(SecureEmail);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (chain.Build(certificate))
            return Success;
        var all = Flags(chain.ChainStatus);
        var own = chain.ChainElements.Count > 0 ? Flags(chain.ChainElements[0].ChainElementStatus) : all;
        if (all.HasFlag(X509ChainStatusFlags.NotSignatureValid))
            return BadSignature;
        if (all.HasFlag(X509ChainStatusFlags.Revoked))
            return own.HasFlag(X509ChainStatusFlags.Revoked) ? Revoked : RevokedInChain;
        if (all.HasFlag(X509ChainStatusFlags.NotTimeValid))
            return NotTimeValid;
        if (all.HasFlag(X509ChainStatusFlags.NotTimeNested))
            return NotTimeNested;
        if (all.HasFlag(X509ChainStatusFlags.UntrustedRoot))
            return Untrusted;
        if (all.HasFlag(X509ChainStatusFlags.NotValidForUsage))
            return NotForEmail;
        if ((all & (X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation)) != 0)
            return RevocationUnknown;
        return ChainNotCorrect;
    }

    private static X509ChainStatusFlags Flags(X509ChainStatus[] statuses) => statuses.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);

    private static X509Certificate2? Parse(string base64)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64.Trim()));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
