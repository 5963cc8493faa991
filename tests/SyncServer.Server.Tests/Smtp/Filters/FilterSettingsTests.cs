using Microsoft.Extensions.Configuration;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Tests.Smtp.Filters;

/// <summary>The <c>Filters</c> section is refused at startup when a value cannot work, with the key named.</summary>
public sealed class FilterSettingsTests
{
    [Test]
    public void Defaults_are_valid_and_filter_nothing()
    {
        var settings = new SyncServerSettings();
        Assert.That((settings.Validate(), settings.Filters.Spam.Spamd, settings.Filters.Virus.Clamd, settings.Filters.FailMode),
            Is.EqualTo(((string?)null, (string?)null, (string?)null, FilterFailMode.Closed)));
    }

    [TestCase("Filters:Spam:Spamd", "localhost", "Filters:Spam:Spamd must be host:port")]
    [TestCase("Filters:Virus:Clamd", "127.0.0.1:99999", "Filters:Virus:Clamd must be host:port")]
    [TestCase("Filters:Timeout", "forever", "Filters:ConnectTimeout and Filters:Timeout must be durations (e.g. 5s, 1m)")]
    [TestCase("Filters:Spam:RejectScore", "3", "Filters:Spam:RejectScore must not be below Filters:Spam:JunkScore")]
    public void Unusable_value_is_refused_with_its_key(string key, string value, string error)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value), new("Filters:FailMode", "open")]).Build();
        var settings = configuration.Get<SyncServerSettings>()!;
        Assert.That((settings.Validate(), settings.Filters.FailMode), Is.EqualTo((error, FilterFailMode.Open)));
    }
}
