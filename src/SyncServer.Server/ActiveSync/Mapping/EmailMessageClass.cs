using MimeKit;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// <c>email:MessageClass</c> of a stored message (MS-ASEMAIL 2.2.2.51; client-requirements A.5.1), from its top-level
/// MIME type: S/MIME signed in clear (<c>multipart/signed</c> with a PKCS#7 signature), S/MIME opaque
/// (<c>application/pkcs7-mime</c>: enveloped, or signed-data), delivery and read reports (<c>multipart/report</c>),
/// else <c>IPM.Note</c>. The meeting classes of iTIP mail are decided elsewhere, before this one.
/// </summary>
public static class EmailMessageClass
{
    public const string Note = "IPM.Note";
    public const string Smime = "IPM.Note.SMIME";
    public const string SmimeMultipartSigned = "IPM.Note.SMIME.MultipartSigned";
    public const string NonDeliveryReport = "REPORT.IPM.Note.NDR";
    public const string DeliveryReport = "REPORT.IPM.Note.DR";
    public const string DelayedReport = "REPORT.IPM.Note.Delayed";
    public const string ReadReceipt = "REPORT.IPM.Note.IPNRN";

    public static string Of(MimeMessage message)
    {
        var type = message.Body?.ContentType;
        if (type is null)
            return Note;
        if (type.IsMimeType("multipart", "signed") && IsPkcs7(type.Parameters["protocol"], "signature"))
            return SmimeMultipartSigned;
        if (type.IsMimeType("application", "pkcs7-mime") || type.IsMimeType("application", "x-pkcs7-mime"))
            return Smime;
        if (type.IsMimeType("multipart", "report") && message.Body is MultipartReport report)
            return report.ReportType?.ToLowerInvariant() switch
            {
                "delivery-status" => DeliveryStatusClass(report),
                "disposition-notification" => ReadReceipt,
                _ => Note,
            };
        return Note;
    }

    private static bool IsPkcs7(string? protocol, string kind)
        => protocol is not null && (protocol.Equals($"application/pkcs7-{kind}", StringComparison.OrdinalIgnoreCase)
            || protocol.Equals($"application/x-pkcs7-{kind}", StringComparison.OrdinalIgnoreCase));

    /// <summary>A DSN is a non-delivery report when any recipient failed, a delay when any is delayed, else a delivery report (RFC 3464 §2.3.3 Action).</summary>
    private static string DeliveryStatusClass(MultipartReport report)
    {
        var actions = report.OfType<MessageDeliveryStatus>()
            .SelectMany(status => status.StatusGroups.Skip(1))
            .Select(fields => fields["Action"]?.Trim().ToLowerInvariant())
            .ToList();
        if (actions.Count == 0 || actions.Contains("failed"))
            return NonDeliveryReport;
        return actions.Contains("delayed") ? DelayedReport : DeliveryReport;
    }
}
