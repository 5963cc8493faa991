using SyncServer.Core.Credentials;

namespace SyncServer.Core.Tests.Credentials;

public sealed class AppPasswordSecretTests
{
    [Test]
    public void Generated_IsFourGroupsOfFiveLetters_AndDiffersEachTime()
    {
        var first = AppPasswordSecret.Generate();
        Assert.That(first, Does.Match("^[a-z]{5}(-[a-z]{5}){3}$"));
        Assert.That(AppPasswordSecret.Generate(), Is.Not.EqualTo(first));
    }

    [Test]
    public void Digest_IgnoresCaseDashesAndSpaces()
    {
        var digest = AppPasswordSecret.Digest("abcde-fghij-klmno-pqrst");
        Assert.That(digest, Does.StartWith("sha256:"));
        Assert.That(AppPasswordSecret.Digest("ABCDEFGHIJKLMNOPQRST"), Is.EqualTo(digest));
        Assert.That(AppPasswordSecret.Digest("abcde fghij klmno pqrst"), Is.EqualTo(digest));
    }

    [TestCase("")]
    [TestCase("correct horse battery staple")]
    [TestCase("abcde-fghij-klmno-pqrs")]
    [TestCase("abcde-fghij-klmno-pqrs1")]
    public void Digest_OfWhatCannotBeAnAppPassword_IsNull(string typed) => Assert.That(AppPasswordSecret.Digest(typed), Is.Null);
}
