using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace SyncServer.Server.Hosting;

/// <summary>
/// The server's TLS certificate, shared by HTTPS and (in later steps) the implicit-TLS and STARTTLS listeners.
/// Loaded from <c>Tls:PfxPath</c> or <c>Tls:CertificatePath</c>/<c>Tls:KeyPath</c>; with neither, a self-signed
/// one is generated once into <c>{DataDirectory}/tls/</c> and reused.
/// </summary>
public sealed class ServerCertificate(X509Certificate2 certificate) : IDisposable
{
    public X509Certificate2 Certificate { get; } = certificate;

    public void Dispose() => Certificate.Dispose();

    public static ServerCertificate Load(SyncServerSettings settings, TimeProvider time, ILogger logger)
    {
        var tls = settings.Tls;
        var certificate = !string.IsNullOrEmpty(tls.PfxPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(tls.PfxPath, tls.PfxPassword)
            : !string.IsNullOrEmpty(tls.CertificatePath)
                ? X509Certificate2.CreateFromPemFile(tls.CertificatePath, string.IsNullOrEmpty(tls.KeyPath) ? null : tls.KeyPath)
                : LoadOrCreateSelfSigned(Path.Combine(settings.DataDirectory, "tls"), time, logger);
        if (!certificate.HasPrivateKey)
            throw new CryptographicException($"the TLS certificate {certificate.Subject} has no private key");
        Log.CertificateLoaded(logger, certificate.Subject, certificate.NotAfter.ToUniversalTime());
        return new ServerCertificate(certificate);
    }

    private static X509Certificate2 LoadOrCreateSelfSigned(string directory, TimeProvider time, ILogger logger)
    {
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            System.IO.Directory.CreateDirectory(directory);
            var subject = CreateSelfSigned(certPath, keyPath, time);
            Log.CertificateGenerated(logger, certPath, subject);
        }
        return X509Certificate2.CreateFromPemFile(certPath, keyPath);
    }

    /// <summary>RSA 2048 (what old phones and mail clients accept), 5 years, SAN localhost, the machine name and loopback.</summary>
    private static string CreateSelfSigned(string certPath, string keyPath, TimeProvider time)
    {
        using var key = RSA.Create(2048);
        var subject = $"CN={Environment.MachineName}";
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        var keyOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            keyOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(keyPath, keyOptions))
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite); // also when the file existed
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        return subject;
    }
}
