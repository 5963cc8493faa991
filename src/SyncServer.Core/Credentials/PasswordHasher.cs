using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SyncServer.Core.Credentials;

/// <summary>
/// Hashes new passwords as PBKDF2-HMAC-SHA512 in a PHC-style string
/// (<c>$pbkdf2-sha512$i=210000$&lt;salt&gt;$&lt;hash&gt;</c>, unpadded base64), and verifies those plus the crypt(3)
/// hashes that Dovecot and PostfixAdmin store (<c>{SHA512-CRYPT}</c> <c>$6$</c>, <c>{SHA256-CRYPT}</c> <c>$5$</c>,
/// <c>{BLF-CRYPT}</c> <c>$2y$</c>/<c>$2a$</c>/<c>$2b$</c>), with or without the <c>{SCHEME}</c> prefix.
/// </summary>
public sealed class PasswordHasher
{
    public const int DefaultIterations = 210_000;

    private const string Prefix = "$pbkdf2-sha512$";
    private const int SaltBytes = 16;
    private const int KeyBytes = 32;

    // Dovecot scheme names and the crypt(3) prefixes each may carry.
    private static readonly Dictionary<string, string[]> CryptSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["{SHA512-CRYPT}"] = ["$6$"],
        ["{SHA256-CRYPT}"] = ["$5$"],
        ["{BLF-CRYPT}"] = ["$2y$", "$2a$", "$2b$"],
        ["{CRYPT}"] = ["$6$", "$5$", "$2y$", "$2a$", "$2b$"],
    };

    private readonly int _iterations;

    public PasswordHasher(int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        _iterations = iterations;
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Derive(password, salt, _iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}i={_iterations}${ToBase64(salt)}${ToBase64(key)}");
    }

    public bool Verify(string password, string hash)
    {
        if (TryParseOwn(hash, out var iterations, out var salt, out var expected))
            return CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations), expected);
        return TryStripScheme(hash, out var cryptHash) && LibXCrypt.Verify(password, cryptHash);
    }

    /// <summary>True when the hash is not ours or is weaker than the configured iteration count: rehash on the next successful login.</summary>
    public bool NeedsRehash(string hash) => !TryParseOwn(hash, out var iterations, out _, out _) || iterations < _iterations;

    private static byte[] Derive(string password, byte[] salt, int iterations)
        => Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, KeyBytes);

    private static bool TryParseOwn(string hash, out int iterations, out byte[] salt, out byte[] key)
    {
        iterations = 0;
        salt = key = [];
        if (!hash.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var parts = hash[Prefix.Length..].Split('$');
        return parts.Length == 3
            && parts[0].StartsWith("i=", StringComparison.Ordinal)
            && int.TryParse(parts[0].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            && iterations > 0
            && TryFromBase64(parts[1], out salt) && salt.Length > 0
            && TryFromBase64(parts[2], out key) && key.Length > 0;
    }

    private static bool TryStripScheme(string hash, out string cryptHash)
    {
        var end = hash.StartsWith('{') ? hash.IndexOf('}') : -1;
        var scheme = end > 0 ? hash[..(end + 1)] : "{CRYPT}";
        cryptHash = end > 0 ? hash[(end + 1)..] : hash;
        var body = cryptHash;
        return (!hash.StartsWith('{') || end > 0)
            && CryptSchemes.TryGetValue(scheme, out var prefixes)
            && prefixes.Any(p => body.StartsWith(p, StringComparison.Ordinal));
    }

    private static string ToBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryFromBase64(string text, out byte[] bytes)
    {
        var padded = text + new string('=', (4 - text.Length % 4) % 4);
        bytes = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, bytes, out var written))
            return false;
        bytes = bytes[..written];
        return true;
    }
}
