using System.Xml.Linq;

namespace SyncServer.Protocols.CardDav;

/// <summary>
/// A CardDAV precondition a request failed (RFC 6352 §6.3.2.1, §8.3, §8.6, §10.5): the DAV layer answers its
/// status with <c>&lt;D:error&gt;&lt;C:<see cref="Element"/>/&gt;&lt;/D:error&gt;</c>.
/// </summary>
/// <param name="Element">The precondition element, in the CardDAV namespace.</param>
/// <param name="Message">What was wrong, for a log or a <c>D:responsedescription</c>.</param>
public sealed record CardDavPrecondition(XName Element, string Message)
{
    /// <summary>The CardDAV XML namespace, <c>urn:ietf:params:xml:ns:carddav</c>.</summary>
    public static readonly XNamespace Namespace = "urn:ietf:params:xml:ns:carddav";

    /// <summary><c>supported-collation</c>: a text-match names a collation the server does not have (RFC 6352 §8.3).</summary>
    public static CardDavPrecondition SupportedCollation(string message) => new(Namespace + "supported-collation", message);

    /// <summary><c>supported-filter</c>: the filter uses an element, attribute or value the server does not support (RFC 6352 §8.6).</summary>
    public static CardDavPrecondition SupportedFilter(string message) => new(Namespace + "supported-filter", message);

    /// <summary><c>valid-address-data</c>: the body is not a valid vCard (RFC 6352 §6.3.2.1).</summary>
    public static CardDavPrecondition ValidAddressData(string message) => new(Namespace + "valid-address-data", message);

    /// <summary><c>supported-address-data</c>: the body is a vCard version or media type the server does not take (RFC 6352 §6.3.2.1).</summary>
    public static CardDavPrecondition SupportedAddressData(string message) => new(Namespace + "supported-address-data", message);
}
