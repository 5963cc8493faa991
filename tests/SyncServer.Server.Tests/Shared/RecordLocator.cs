using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace SyncServer.Server.Tests.Shared;

/// <summary>Answers every DKIM key lookup with the one TXT record, as DNS would for the signing domain and selector.</summary>
internal sealed class RecordLocator(string record) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        => GetPublicKey(record);

    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        => Task.FromResult(GetPublicKey(record));
}
