using System.Buffers;
using System.Text;
using SyncServer.Protocols.Smtp;
using SyncServer.Protocols.Tests.Common;

namespace SyncServer.Protocols.Tests.Smtp;

public class SmtpBdatReaderTests
{
    [Test]
    public void Chunks_are_read_exactly_at_every_split()
    {
        const string wire = "Subject: x\r\n\r\n.body\r\nBDAT 2 LAST\r\n";
        var input = Encoding.ASCII.GetBytes(wire);
        foreach (var split in SplitInput.AllSplits(input.Length).Prepend([]))
        {
            var bdat = new SmtpBdatReader(SmtpBodyLimits.Default);
            var body = new ArrayBufferWriter<byte>();
            bdat.BeginChunk(new Bdat(21, false));
            var done = false;
            var rest = Array.Empty<byte>();
            SplitInput.Feed(input, split, (ref SequenceReader<byte> reader) =>
            {
                done = done || bdat.TryRead(ref reader, body);
                if (done)
                    rest = reader.UnreadSequence.ToArray();
            });
            Assert.That(done, Is.True);
            Assert.That(Encoding.ASCII.GetString(body.WrittenSpan), Is.EqualTo("Subject: x\r\n\r\n.body\r\n"), "no unstuffing");
            Assert.That(Encoding.ASCII.GetString(rest), Is.EqualTo("BDAT 2 LAST\r\n"));
        }
    }

    [Test]
    public void Size_limit_covers_all_chunks_and_the_chunk_is_still_drained()
    {
        var bdat = new SmtpBdatReader(new SmtpBodyLimits { MaxMessageSize = 5 });
        var body = new ArrayBufferWriter<byte>();
        foreach (var chunk in new[] { "abc", "defg" })
        {
            bdat.BeginChunk(new Bdat(chunk.Length, false));
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(chunk)));
            Assert.That(bdat.TryRead(ref reader, body), Is.True);
            Assert.That(reader.End, Is.True);
        }
        Assert.That((bdat.Rejection, bdat.MessageSize, body.WrittenCount), Is.EqualTo((SmtpReplies.MessageTooBig, 7L, 5)));
    }

    [Test]
    public void Empty_last_chunk_is_complete_at_once()
    {
        var bdat = new SmtpBdatReader(SmtpBodyLimits.Default);
        bdat.BeginChunk(new Bdat(0, true));
        var reader = new SequenceReader<byte>(ReadOnlySequence<byte>.Empty);
        Assert.That(bdat.TryRead(ref reader, new ArrayBufferWriter<byte>()), Is.True);
    }
}
