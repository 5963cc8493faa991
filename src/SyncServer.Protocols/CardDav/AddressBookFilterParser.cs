using System.Xml.Linq;

namespace SyncServer.Protocols.CardDav;

/// <summary>
/// Reads a CARDDAV:filter element (RFC 6352 §10.5) into an <see cref="AddressBookFilter"/>. Anything the model
/// cannot represent is refused with a precondition rather than ignored: an unknown collation is
/// <c>supported-collation</c>; an unknown element, test, match-type or negate-condition value, a prop-filter or
/// param-filter without a name, or is-not-defined mixed with other children is <c>supported-filter</c>.
/// </summary>
public static class AddressBookFilterParser
{
    private static readonly XNamespace C = CardDavPrecondition.Namespace;

    /// <summary>
    /// True with <paramref name="filter"/> set, or false with <paramref name="error"/> set.
    /// <paramref name="filterElement"/> is the <c>C:filter</c> element itself.
    /// </summary>
    public static bool TryParse(XElement filterElement, out AddressBookFilter filter, out CardDavPrecondition? error)
    {
        filter = AddressBookFilter.All;
        error = null;
        if (filterElement.Name != C + "filter")
            return Fail(out error, $"expected C:filter, got {filterElement.Name.LocalName}");
        if (!TryTest(filterElement, out var test, out error))
            return false;
        var propFilters = new List<CardPropFilter>();
        foreach (var child in filterElement.Elements())
        {
            if (child.Name != C + "prop-filter")
                return Fail(out error, $"unsupported element {child.Name.LocalName} in filter");
            if (!TryPropFilter(child, out var propFilter, out error))
                return false;
            propFilters.Add(propFilter);
        }
        filter = new AddressBookFilter(test, propFilters);
        return true;
    }

    private static bool TryPropFilter(XElement element, out CardPropFilter propFilter, out CardDavPrecondition? error)
    {
        propFilter = null!;
        var name = element.Attribute("name")?.Value.Trim();
        if (string.IsNullOrEmpty(name))
            return Fail(out error, "prop-filter without a name");
        if (!TryTest(element, out var test, out error))
            return false;
        var isNotDefined = false;
        var textMatches = new List<CardTextMatch>();
        var paramFilters = new List<CardParamFilter>();
        foreach (var child in element.Elements())
        {
            if (child.Name == C + "is-not-defined")
                isNotDefined = true;
            else if (child.Name == C + "text-match")
            {
                if (!TryTextMatch(child, out var textMatch, out error))
                    return false;
                textMatches.Add(textMatch);
            }
            else if (child.Name == C + "param-filter")
            {
                if (!TryParamFilter(child, out var paramFilter, out error))
                    return false;
                paramFilters.Add(paramFilter);
            }
            else
                return Fail(out error, $"unsupported element {child.Name.LocalName} in prop-filter");
        }
        if (isNotDefined && (textMatches.Count > 0 || paramFilters.Count > 0))
            return Fail(out error, "is-not-defined with other conditions in prop-filter " + name);
        propFilter = new CardPropFilter(name, test, isNotDefined, textMatches, paramFilters);
        return true;
    }

    private static bool TryParamFilter(XElement element, out CardParamFilter paramFilter, out CardDavPrecondition? error)
    {
        paramFilter = null!;
        error = null;
        var name = element.Attribute("name")?.Value.Trim();
        if (string.IsNullOrEmpty(name))
            return Fail(out error, "param-filter without a name");
        var children = element.Elements().ToList();
        if (children.Count > 1)
            return Fail(out error, "param-filter " + name + " has more than one condition");
        if (children.Count == 0)
            paramFilter = new CardParamFilter(name);
        else if (children[0].Name == C + "is-not-defined")
            paramFilter = new CardParamFilter(name, IsNotDefined: true);
        else if (children[0].Name == C + "text-match")
        {
            if (!TryTextMatch(children[0], out var textMatch, out error))
                return false;
            paramFilter = new CardParamFilter(name, TextMatch: textMatch);
        }
        else
            return Fail(out error, $"unsupported element {children[0].Name.LocalName} in param-filter");
        return true;
    }

    private static bool TryTextMatch(XElement element, out CardTextMatch textMatch, out CardDavPrecondition? error)
    {
        textMatch = null!;
        error = null;
        var collationName = element.Attribute("collation")?.Value ?? "i;unicode-casemap";
        if (CardTextMatch.CollationNamed(collationName) is not { } collation)
        {
            error = CardDavPrecondition.SupportedCollation($"collation {collationName} is not supported");
            return false;
        }
        CardMatchType? matchType = (element.Attribute("match-type")?.Value ?? "contains") switch
        {
            "equals" => CardMatchType.EqualTo,
            "contains" => CardMatchType.Contains,
            "starts-with" => CardMatchType.StartsWith,
            "ends-with" => CardMatchType.EndsWith,
            _ => null,
        };
        if (matchType is null)
            return Fail(out error, "unsupported match-type " + element.Attribute("match-type")!.Value);
        bool? negate = (element.Attribute("negate-condition")?.Value ?? "no") switch
        {
            "no" => false,
            "yes" => true,
            _ => null,
        };
        if (negate is null)
            return Fail(out error, "negate-condition must be yes or no");
        if (element.HasElements)
            return Fail(out error, "text-match holds text, not elements");
        textMatch = new CardTextMatch(element.Value, collation, matchType.Value, negate.Value);
        return true;
    }

    private static bool TryTest(XElement element, out CardFilterTest test, out CardDavPrecondition? error)
    {
        error = null;
        test = CardFilterTest.AnyOf;
        switch (element.Attribute("test")?.Value ?? "anyof")
        {
            case "anyof":
                return true;
            case "allof":
                test = CardFilterTest.AllOf;
                return true;
            default:
                return Fail(out error, "test must be anyof or allof");
        }
    }

    private static bool Fail(out CardDavPrecondition? error, string message)
    {
        error = CardDavPrecondition.SupportedFilter(message);
        return false;
    }
}
