using SyncServer.Core.Delivery;

namespace SyncServer.Server.Smtp;

/// <summary>The three SMTP listeners (DESIGN.md §5): they share one session and differ in TLS and authentication.</summary>
public enum SmtpListenerKind
{
    /// <summary>Mail from other servers for our domains: STARTTLS offered, no AUTH, relaying refused by the delivery target.</summary>
    Mx = 1,
    /// <summary>RFC 6409 submission: STARTTLS, then AUTH before MAIL.</summary>
    Submission = 2,
    /// <summary>RFC 8314 implicit TLS submission: AUTH before MAIL.</summary>
    Smtps = 3,
}

/// <summary>Set on each connection by its listener (see <c>Hosting/Listeners.cs</c>), so one handler serves all three.</summary>
public sealed record SmtpListenerFeature(SmtpListenerKind Kind)
{
    public bool RequiresAuthentication => Kind != SmtpListenerKind.Mx;

    public DeliveryChannel Channel => Kind == SmtpListenerKind.Mx ? DeliveryChannel.Mx : DeliveryChannel.Submission;
}
