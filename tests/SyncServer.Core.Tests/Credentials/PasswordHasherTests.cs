using SyncServer.Core.Credentials;

namespace SyncServer.Core.Tests.Credentials;

public sealed class PasswordHasherTests
{
    // Reference hashes made with Debian tools: `openssl passwd -6 -salt abcdefgh 'correct horse'` and `-5`.
    private const string Sha512Crypt = "$6$abcdefgh$yIZAF3gQPvtKZO/9qOJKffAKKbtS3ef3qmwyugk4uWVjX8YZf/GV3A8SkFxEPY0T56CcilGrHKLffBsp6dLMG.";
    private const string Sha256Crypt = "$5$abcdefgh$ruMep1ijHnJPZbETDNiumskxcX3kN4lzZd5VlsqE7eB";

    // bcrypt vectors of Openwall's crypt_blowfish test suite (password "U*U" and "U*U*").
    private const string Bcrypt2a = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    private const string Bcrypt2y = "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    private const string Bcrypt2b = "$2b$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK";

    private readonly PasswordHasher _hasher = new(iterations: 1000);

    [Test]
    public void OwnHash_HasThePhcShape_AndVerifies()
    {
        var hash = _hasher.Hash("secret");

        Assert.That(hash, Does.Match(@"^\$pbkdf2-sha512\$i=1000\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$"));
        Assert.That(_hasher.Verify("secret", hash), Is.True);
        Assert.That(_hasher.Verify("Secret", hash), Is.False);
        Assert.That(_hasher.Verify("", hash), Is.False);
    }

    [Test]
    public void OwnHash_IsSaltedPerCall()
    {
        var first = _hasher.Hash("secret");
        Assert.That(_hasher.Hash("secret"), Is.Not.EqualTo(first));
    }

    [Test]
    public void OwnHash_VerifiesWithTheIterationCountItWasMadeWith()
    {
        var hash = new PasswordHasher(iterations: 10).Hash("secret");
        Assert.That(_hasher.Verify("secret", hash), Is.True);
    }

    [TestCase(Sha512Crypt, "correct horse")]
    [TestCase("{SHA512-CRYPT}" + Sha512Crypt, "correct horse")]
    [TestCase(Sha256Crypt, "correct horse")]
    [TestCase("{SHA256-CRYPT}" + Sha256Crypt, "correct horse")]
    [TestCase(Bcrypt2a, "U*U")]
    [TestCase(Bcrypt2y, "U*U")]
    [TestCase("{BLF-CRYPT}" + Bcrypt2y, "U*U")]
    [TestCase(Bcrypt2b, "U*U*")]
    [TestCase("{CRYPT}" + Sha512Crypt, "correct horse")]
    public void ImportedHash_Verifies(string hash, string password)
    {
        Assert.That(_hasher.Verify(password, hash), Is.True);
        Assert.That(_hasher.Verify(password + "x", hash), Is.False);
        Assert.That(_hasher.NeedsRehash(hash), Is.True);
    }

    [TestCase("{SHA256-CRYPT}" + Sha512Crypt)]
    [TestCase("{BLF-CRYPT}" + Sha512Crypt)]
    [TestCase("{PLAIN}correct horse")]
    [TestCase("$1$abcdefgh$something")]
    [TestCase("correct horse")]
    [TestCase("")]
    [TestCase("$pbkdf2-sha512$i=0$AAAA$AAAA")]
    [TestCase("$pbkdf2-sha512$i=10$!!$AAAA")]
    public void UnknownOrMismatchedScheme_DoesNotVerify(string hash)
        => Assert.That(_hasher.Verify("correct horse", hash), Is.False);

    [Test]
    public void NeedsRehash_OnlyForForeignOrWeakerHashes()
    {
        Assert.That(_hasher.NeedsRehash(_hasher.Hash("x")), Is.False);
        Assert.That(_hasher.NeedsRehash(new PasswordHasher(iterations: 999).Hash("x")), Is.True);
        Assert.That(_hasher.NeedsRehash(new PasswordHasher(iterations: 2000).Hash("x")), Is.False);
    }

    [Test]
    public void PasswordWithNul_DoesNotVerifyAgainstCrypt()
        => Assert.That(_hasher.Verify("correct horse\0", Sha512Crypt), Is.False);
}
