using System.Security.Cryptography;
using System.Text;

namespace SyncServer.Core.Credentials;

/// <summary>
/// App password secrets: 20 random letters shown as four groups of five (about 94 bits), typed with or without
/// the dashes and in either case. Only a SHA-256 digest is stored: the secret is random, so a slow KDF would add
/// cost without adding safety, and the digest can be looked up directly at login.
/// </summary>
public static class AppPasswordSecret
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz";
    private const int GroupLength = 5;
    private const int Groups = 4;

    public static string Generate()
    {
        var letters = RandomNumberGenerator.GetString(Alphabet, GroupLength * Groups);
        return string.Join('-', Enumerable.Range(0, Groups).Select(g => letters.Substring(g * GroupLength, GroupLength)));
    }

    /// <summary>The digest stored for a secret; null when the text cannot be an app password (so no look-up is needed).</summary>
    public static string? Digest(string typed)
    {
        var normalized = new StringBuilder(GroupLength * Groups);
        foreach (var c in typed)
        {
            if (c is '-' or ' ')
                continue;
            var lower = char.ToLowerInvariant(c);
            if (lower is < 'a' or > 'z')
                return null;
            normalized.Append(lower);
        }
        if (normalized.Length != GroupLength * Groups)
            return null;
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(normalized.ToString())));
    }
}
