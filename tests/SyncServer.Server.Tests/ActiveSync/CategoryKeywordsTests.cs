using SyncServer.Server.ActiveSync.Mapping;

namespace SyncServer.Server.Tests.ActiveSync;

/// <summary>Categories as IMAP keywords (client-requirements A.5.1): every category is an atom and comes back as it was.</summary>
public sealed class CategoryKeywordsTests
{
    [TestCase("Work", "Work")]
    [TestCase("Blue Category", "Blue&ACA-Category")]
    [TestCase("Priorität", "Priorit&AOQ-t")]
    [TestCase("R&D", "R&-D")]
    [TestCase("$money", "&ACQ-money")]
    [TestCase("(a) *b* %c% \"d\" \\e ]f{", "&ACg-a&ACkAIAAq-b&ACoAIAAl-c&ACUAIAAi-d&ACIAIABc-e&ACAAXQ-f&AHs-")]
    [TestCase("😀 emoji", "&2D3eAAAg-emoji")]
    public void A_5_1_Category_IsAnAtomKeyword_AndRoundTrips(string category, string keyword)
    {
        Assert.That(CategoryKeywords.ToKeyword(category), Is.EqualTo(keyword));
        Assert.That(keyword.All(c => c is > ' ' and < (char)0x7F and not ('(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']')), Is.True, "an IMAP atom");
        Assert.That(CategoryKeywords.IsCategory(keyword), Is.True);
        Assert.That(CategoryKeywords.ToCategory(keyword), Is.EqualTo(category));
    }

    [TestCase("$Forwarded")]
    [TestCase("$Completed")]
    [TestCase("\\Seen")]
    [TestCase("NonJunk")]
    [TestCase("Junk")]
    public void A_5_1_SystemKeywords_AreNoCategories(string keyword) => Assert.That(CategoryKeywords.IsCategory(keyword), Is.False);

    [TestCase("broken&run", "broken&run")]
    [TestCase("bad&!!!-base64", "bad&!!!-base64")]
    public void A_5_1_AKeywordWhoseRunsDoNotDecode_IsItsOwnName(string keyword, string category)
        => Assert.That(CategoryKeywords.ToCategory(keyword), Is.EqualTo(category));
}
