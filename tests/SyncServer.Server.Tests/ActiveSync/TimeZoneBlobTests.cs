using System.Buffers.Binary;
using System.Text;
using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>EAS-CAL-01 TIME_ZONE_INFORMATION blobs and MS-ASEMAIL GlobalObjId values, computed without a server.</summary>
public sealed class TimeZoneBlobTests
{
    [Test]
    public void EAS_CAL_01_a_southern_zone_starts_daylight_saving_in_october_and_ends_it_in_april()
    {
        var blob = Convert.FromBase64String(TimeZoneBlob.For(TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney"), 2026));
        Assert.That(blob, Has.Length.EqualTo(TimeZoneBlob.Size));
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(blob), Is.EqualTo(-600), "UTC+10");
        Assert.That(SystemTime(blob, 68), Is.EqualTo((4, 0, 1, 3)), "standard from the first Sunday of April, 03:00 daylight time");
        Assert.That(SystemTime(blob, 152), Is.EqualTo((10, 0, 1, 2)), "daylight from the first Sunday of October, 02:00 standard time");
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(168)), Is.EqualTo(-60));
    }

    [Test]
    public void EAS_CAL_01_a_zone_without_daylight_saving_has_no_dates()
    {
        var blob = Convert.FromBase64String(TimeZoneBlob.For(TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"), 2026));
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(blob), Is.EqualTo(-540));
        Assert.That(blob.AsSpan(68, 16).ToArray(), Is.All.Zero);
        Assert.That(blob.AsSpan(152, 20).ToArray(), Is.All.Zero);
        Assert.That(Convert.FromBase64String(TimeZoneBlob.Utc), Has.Length.EqualTo(172).And.All.Zero);
    }

    [Test]
    public void GlobalObjId_of_an_outlook_uid_is_its_bytes_and_of_any_other_uid_a_vcal_uid_wrapper()
    {
        const string outlook = "040000008200E00074C5B7101A82E00800000000D0C5C1CD1E5FD8010000000000000000100000004F1AF5E0B0D3F448B1A6A1E3BB6B2B0A";
        Assert.That(Convert.FromBase64String(MeetingRequestRecord.GlobalObjId(outlook)), Is.EqualTo(Convert.FromHexString(outlook)));

        var wrapped = Convert.FromBase64String(MeetingRequestRecord.GlobalObjId("abc@example.org"));
        Assert.That(wrapped.AsSpan(0, 16).ToArray(), Is.EqualTo(Convert.FromHexString("040000008200E00074C5B7101A82E008")));
        Assert.That(wrapped.AsSpan(16, 20).ToArray(), Is.All.Zero, "instance date, creation time, reserved");
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(wrapped.AsSpan(36)), Is.EqualTo(wrapped.Length - 40));
        Assert.That(Encoding.ASCII.GetString(wrapped, 40, wrapped.Length - 40), Is.EqualTo("vCal-Uid\u0001\0\0\0abc@example.org\0"));
    }

    private static (int Month, int DayOfWeek, int Week, int Hour) SystemTime(byte[] zone, int offset)
    {
        int Field(int index) => BinaryPrimitives.ReadUInt16LittleEndian(zone.AsSpan(offset + 2 * index));
        return (Field(1), Field(2), Field(3), Field(4));
    }
}
