using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace SyncServer.Core.Credentials;

/// <summary>
/// crypt(3) through the system libxcrypt (<c>libcrypt.so.1</c>, Debian's essential libcrypt1), which computes
/// SHA-crypt (<c>$6$</c>, <c>$5$</c>) and bcrypt (<c>$2y$</c>, <c>$2a$</c>, <c>$2b$</c>) hashes.
/// </summary>
internal static class LibXCrypt
{
    // sizeof(struct crypt_data) in libxcrypt; the result is written to its first member, char output[384].
    private const int CryptDataSize = 32768;

    [DllImport("libcrypt.so.1", EntryPoint = "crypt_rn")]
    private static extern IntPtr CryptRn(byte[] phrase, byte[] setting, byte[] data, int size);

    public static bool Verify(string password, string hash)
    {
        if (password.Contains('\0') || hash.Contains('\0'))
            return false;
        var data = new byte[CryptDataSize];
        if (CryptRn(NulTerminated(password), NulTerminated(hash), data, data.Length) == IntPtr.Zero)
            return false;
        var computed = data.AsSpan(0, data.AsSpan().IndexOf((byte)0));
        return CryptographicOperations.FixedTimeEquals(computed, Encoding.UTF8.GetBytes(hash));
    }

    private static byte[] NulTerminated(string text) => Encoding.UTF8.GetBytes(text + "\0");
}
