using SyncServer.Protocols.Filters;

namespace SyncServer.Protocols.Tests.Filters;

/// <summary>The answers of spamd (SPAMC/1.5 SYMBOLS) and clamd (zINSTREAM) as the daemons give them, and what is not one.</summary>
public sealed class FilterProtocolTests
{
    [Test]
    public void Spamd_symbols_reply_gives_score_and_rules()
    {
        const string reply = "SPAMD/1.1 0 EX_OK\r\nContent-length: 45\r\nSpam: True ; 1004.2 / 5.0\r\n\r\nGTUBE,MISSING_DATE,NO_RECEIVED,NO_RELAYS";
        Assert.That(SpamcProtocol.TryParse(reply, out var score, out var symbols), Is.True);
        Assert.That((score, symbols), Is.EqualTo((1004.2, new[] { "GTUBE", "MISSING_DATE", "NO_RECEIVED", "NO_RELAYS" })));
    }

    [Test]
    public void Spamd_reply_for_ham_with_a_negative_score_and_no_rules()
    {
        Assert.That(SpamcProtocol.TryParse("SPAMD/1.1 0 EX_OK\r\nSpam: False ; -0.1 / 5.0\r\n\r\n", out var score, out var symbols), Is.True);
        Assert.That((score, symbols), Is.EqualTo((-0.1, Array.Empty<string>())));
    }

    [TestCase("SPAMD/1.0 76 Bad header line: (EOF)\r\n\r\n")]
    [TestCase("SPAMD/1.1 0 EX_OK\r\nContent-length: 0\r\n\r\n")]
    [TestCase("SPAMD/1.1 0 EX_OK\r\nSpam: True ; lots / 5.0\r\n\r\n")]
    [TestCase("SPAMD/1.1 0 EX_OK\r\nSpam: True / 5.0 ; 7\r\n\r\n")]
    [TestCase("SPAMD/1.1 0 EX_OK\r\nSpam: True ; NaN / 5.0\r\n\r\n")]
    [TestCase("HTTP/1.1 200 OK\r\n\r\n")]
    [TestCase("")]
    public void Spamd_error_or_malformed_reply_is_not_a_score(string reply)
        => Assert.That(SpamcProtocol.TryParse(reply, out _, out _), Is.False);

    [Test]
    public void Spamc_request_announces_the_content_length()
        => Assert.That(SpamcProtocol.SymbolsRequest(1234), Is.EqualTo("SYMBOLS SPAMC/1.5\r\nContent-length: 1234\r\n\r\n"));

    [TestCase("stream: OK\0", null)]
    [TestCase("stream: Win.Test.EICAR_HDB-1 FOUND\0", "Win.Test.EICAR_HDB-1")]
    [TestCase("stream: SyncServer.Test.EICAR.UNOFFICIAL FOUND", "SyncServer.Test.EICAR.UNOFFICIAL")]
    public void Clamd_reply_is_clean_or_names_the_virus(string reply, string? expected)
    {
        Assert.That(ClamdProtocol.TryParse(reply, out var virus), Is.True);
        Assert.That(virus, Is.EqualTo(expected));
    }

    [TestCase("INSTREAM size limit exceeded. ERROR\0")]
    [TestCase("stream: Can't allocate memory ERROR\0")]
    [TestCase("stream:  FOUND\0")]
    [TestCase("UNKNOWN COMMAND\0")]
    [TestCase("")]
    public void Clamd_error_or_malformed_reply_is_not_a_verdict(string reply)
        => Assert.That(ClamdProtocol.TryParse(reply, out _), Is.False);
}
