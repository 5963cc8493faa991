namespace SyncServer.Core.Model;

/// <summary>Whether an account is out of office: not, until turned off, or between a start and an end time.</summary>
public enum OutOfOfficeState
{
    Disabled = 0,
    Global = 1,
    TimeBased = 2,
}

/// <summary>Who an out-of-office reply is for: the account's own organisation, known outside senders, or anyone else.</summary>
public enum OutOfOfficeAudience
{
    Internal = 0,
    ExternalKnown = 1,
    ExternalUnknown = 2,
}

/// <summary>The reply for one audience; <see cref="IsHtml"/> says whether <see cref="Text"/> is HTML or plain text.</summary>
public sealed record OutOfOfficeMessage(OutOfOfficeAudience Audience, bool Enabled, string Text, bool IsHtml);

/// <summary>
/// An account's out-of-office setting as a client set it (ActiveSync Settings Oof). <see cref="Start"/> and
/// <see cref="End"/> matter only when time-based. Whether the server then answers mail with it is up to delivery.
/// </summary>
public sealed record OutOfOffice(OutOfOfficeState State, DateTimeOffset? Start, DateTimeOffset? End, IReadOnlyList<OutOfOfficeMessage> Messages)
{
    public static readonly OutOfOffice Off = new(OutOfOfficeState.Disabled, null, null, []);
}
