using SyncServer.Protocols.ActiveSync.Http;

namespace SyncServer.Protocols.Tests.ActiveSync;

/// <summary>The multipart ItemOperations body (MS-ASCMD 2.2.1.10.1.1; client-requirements EAS-WBXML-05).</summary>
public sealed class MultiPartResponseTests
{
    [Test]
    public void EAS_WBXML_05_CountThenOffsetLengthPairsFromTheBodyStart_ThenThePartsBackToBack()
    {
        var body = MultiPartResponse.Write([new byte[] { 0x03, 0x01, 0x6A, 0x00 }, new byte[] { 0xAA, 0xBB }, Array.Empty<byte>()]);
        Assert.That(body, Is.EqualTo(new byte[]
        {
            3, 0, 0, 0,
            28, 0, 0, 0, 4, 0, 0, 0, // part 0 right after the 4 + 3 × 8 header bytes
            32, 0, 0, 0, 2, 0, 0, 0,
            34, 0, 0, 0, 0, 0, 0, 0,
            0x03, 0x01, 0x6A, 0x00, 0xAA, 0xBB,
        }));
    }
}
