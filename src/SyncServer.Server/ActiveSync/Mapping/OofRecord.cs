using System.Globalization;
using System.Text;
using System.Xml.Linq;
using MimeKit.Text;
using SyncServer.Core.Model;
using SyncServer.Protocols.ActiveSync.Wbxml;

namespace SyncServer.Server.ActiveSync.Mapping;

/// <summary>
/// The Settings Oof section (MS-ASCMD 2.2.1.18, 2.2.3.119 OofState, 2.2.3.123 OofMessage) as the store's
/// <see cref="OutOfOffice"/>: a Set is read into one (null when malformed), a Get answers one in the body type the
/// client asked for (a stored text becomes HTML and back with MimeKit's converters).
/// </summary>
public static class OofRecord
{
    private static readonly XNamespace Ns = ActiveSyncNamespaces.Settings;
    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const int MaxMessageLength = 64 * 1024;

    private static readonly (OutOfOfficeAudience Audience, string Element)[] Audiences =
    [
        (OutOfOfficeAudience.Internal, "AppliesToInternal"),
        (OutOfOfficeAudience.ExternalKnown, "AppliesToExternalKnown"),
        (OutOfOfficeAudience.ExternalUnknown, "AppliesToExternalUnknown"),
    ];

    /// <summary>Whether a Get asked for HTML (BodyType "HTML"); "Text" otherwise. Null when BodyType is neither.</summary>
    public static bool? AsksHtml(XElement get) => BodyType((string?)get.Element(Ns + "BodyType"));

    public static XElement Get(OutOfOffice setting, bool html)
        => new(Ns + "Get",
            new XElement(Ns + "OofState", (int)setting.State),
            setting.State == OutOfOfficeState.TimeBased ? new XElement(Ns + "StartTime", Format(setting.Start)) : null,
            setting.State == OutOfOfficeState.TimeBased ? new XElement(Ns + "EndTime", Format(setting.End)) : null,
            setting.Messages.Select(m => new XElement(Ns + "OofMessage",
                new XElement(Ns + Audiences.Single(a => a.Audience == m.Audience).Element),
                new XElement(Ns + "Enabled", m.Enabled ? 1 : 0),
                new XElement(Ns + "ReplyMessage", Convert(m, html)),
                new XElement(Ns + "BodyType", html ? "HTML" : "Text"))));

    /// <summary>
    /// The setting a Set asks for, on top of <paramref name="current"/> (an absent OofState keeps the state, an absent
    /// audience keeps its message), or null when a value is malformed or (<paramref name="badPeriod"/>) a time-based
    /// state lacks a start before its end.
    /// </summary>
    public static OutOfOffice? Set(XElement set, OutOfOffice current, out bool badPeriod)
    {
        badPeriod = false;
        var state = current.State;
        if ((string?)set.Element(Ns + "OofState") is { } stateText)
        {
            if (!int.TryParse(stateText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || !Enum.IsDefined((OutOfOfficeState)value))
                return null;
            state = (OutOfOfficeState)value;
        }
        var start = Parse(set.Element(Ns + "StartTime"), current.Start, out var startOk);
        var end = Parse(set.Element(Ns + "EndTime"), current.End, out var endOk);
        if (!startOk || !endOk)
            return null;
        if (state == OutOfOfficeState.TimeBased && (start is null || end is null || end <= start))
        {
            badPeriod = true;
            return null;
        }

        var messages = current.Messages.ToDictionary(m => m.Audience);
        foreach (var element in set.Elements(Ns + "OofMessage"))
        {
            var audiences = Audiences.Where(a => element.Element(Ns + a.Element) is not null).ToList();
            var text = (string?)element.Element(Ns + "ReplyMessage");
            var html = BodyType((string?)element.Element(Ns + "BodyType"));
            if (audiences.Count != 1 || text?.Length > MaxMessageLength || text is not null && html is null
                || (string?)element.Element(Ns + "Enabled") is { } enabledText && enabledText is not ("0" or "1"))
                return null;
            var audience = audiences[0].Audience;
            var old = messages.GetValueOrDefault(audience);
            messages[audience] = new OutOfOfficeMessage(audience,
                (string?)element.Element(Ns + "Enabled") is { } enabled ? enabled == "1" : old?.Enabled ?? false,
                text ?? old?.Text ?? "", text is null ? old?.IsHtml ?? false : html!.Value);
        }
        return new OutOfOffice(state, start, end, messages.Values.OrderBy(m => m.Audience).ToList());
    }

    private static bool? BodyType(string? value) => value?.ToUpperInvariant() switch
    {
        "HTML" => true,
        "TEXT" => false,
        _ => null,
    };

    private static string Convert(OutOfOfficeMessage message, bool html)
        => message.IsHtml == html ? message.Text
            : html ? new TextToHtml { OutputHtmlFragment = true }.Convert(message.Text) : TextOf(message.Text);

    /// <summary>The text of an HTML message: its character data, with a line break for each block or break element.</summary>
    private static string TextOf(string html)
    {
        var text = new StringBuilder();
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        while (tokenizer.ReadNextToken(out var token))
        {
            if (token is HtmlDataToken data)
                text.Append(data.Data);
            else if (token is HtmlTagToken { IsEndTag: false, Id: HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div } && text.Length > 0)
                text.Append('\n');
        }
        return text.ToString().Trim();
    }

    private static string Format(DateTimeOffset? time) => time?.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture) ?? "";

    private static DateTimeOffset? Parse(XElement? element, DateTimeOffset? fallback, out bool ok)
    {
        ok = true;
        if (element is null)
            return fallback;
        ok = DateTimeOffset.TryParse(element.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time);
        return ok ? time : null;
    }
}
