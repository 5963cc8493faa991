using SyncServer.Core.Directory;

namespace SyncServer.Core.Tests.Directory;

public sealed class EmailAddressTests
{
    [TestCase("bob@example.org", "bob@example.org")]
    [TestCase("Bob.Smith@Example.ORG", "bob.smith@example.org")]
    [TestCase("a+tag@sub.example.org", "a+tag@sub.example.org")]
    [TestCase("o'brien@example.org", "o'brien@example.org")]
    [TestCase("jörg@bücher.example", "jörg@xn--bcher-kva.example")]
    [TestCase("info@xn--bcher-kva.example", "info@xn--bcher-kva.example")]
    public void Valid(string text, string canonical)
    {
        Assert.That(EmailAddress.TryParse(text, out var address), Is.True);
        Assert.That(address.ToString(), Is.EqualTo(canonical));
    }

    [TestCase("")]
    [TestCase("bob")]
    [TestCase("@example.org")]
    [TestCase("bob@")]
    [TestCase("bob@example")]
    [TestCase("bob smith@example.org")]
    [TestCase("bob@exa mple.org")]
    [TestCase("bob\t@example.org")]
    [TestCase("bob\u0001@example.org")]
    [TestCase(".bob@example.org")]
    [TestCase("bob.@example.org")]
    [TestCase("b..ob@example.org")]
    [TestCase("bob@-example.org")]
    [TestCase("bob@example..org")]
    [TestCase("bob@exa_mple.org")]
    [TestCase("bob@@example.org")]
    [TestCase("<bob>@example.org")]
    [TestCase("bob,alice@example.org")]
    public void Invalid(string text)
        => Assert.That(EmailAddress.TryParse(text, out _), Is.False);

    [Test]
    public void LengthLimits()
    {
        Assert.That(EmailAddress.TryParse(new string('a', 64) + "@example.org", out _), Is.True);
        Assert.That(EmailAddress.TryParse(new string('a', 65) + "@example.org", out _), Is.False);
        Assert.That(EmailAddress.TryParse("a@" + new string('b', 64) + ".org", out _), Is.False);
        var longDomain = string.Join('.', Enumerable.Repeat(new string('d', 60), 5)) + ".org";
        Assert.That(EmailAddress.TryParse("a@" + longDomain, out _), Is.False);
    }

    [TestCase("Example.ORG", "example.org")]
    [TestCase("bücher.example", "xn--bcher-kva.example")]
    public void Domain_IsCanonical(string text, string canonical)
    {
        Assert.That(EmailAddress.TryParseDomain(text, out var domain), Is.True);
        Assert.That(domain, Is.EqualTo(canonical));
    }

    [TestCase("example")]
    [TestCase("example.org.")]
    [TestCase(" example.org")]
    [TestCase("exa@mple.org")]
    public void Domain_Invalid(string text)
        => Assert.That(EmailAddress.TryParseDomain(text, out _), Is.False);
}
