using System.Text;
using Gateway.Core.Caching;
using Gateway.Core.Configuration;
using Gateway.Core.Http;

namespace Gateway.Core.Tests.Caching;

/// <summary>RFC 9111's storage and freshness rules as the shared cache reads a response head.</summary>
public sealed class StorageRulesTests
{
    private const double Now = 1_800_000_000;

    [Theory]
    [InlineData(200, "Cache-Control: s-maxage=30, max-age=10", 30)]
    [InlineData(200, "Cache-Control: max-age=10", 10)]
    [InlineData(200, "Cache-Control: max-age=10, max-age=20", 10)]
    [InlineData(200, "Cache-Control: max-age=ten", -2)]
    [InlineData(200, "Date: Fri, 15 Jan 2027 08:00:00 GMT|Expires: Fri, 15 Jan 2027 08:05:00 GMT", 300)]
    [InlineData(200, "Expires: 0|ETag: \"a\"", 0)]
    [InlineData(200, "", 45)]
    [InlineData(404, "", 45)]
    [InlineData(201, "", -1)]
    [InlineData(302, "", -1)]
    [InlineData(302, "Cache-Control: max-age=5", 5)]
    [InlineData(500, "Cache-Control: max-age=5", -1)]
    [InlineData(200, "Cache-Control: no-cache|ETag: \"a\"", 0)]
    public void TheLifetimeComesFromTheResponseThenTheCachesTtl(int status, string fields, double lifetime)
    {
        var plan = Plan(status, fields, identified: false);

        // -1: not stored at all; -2: stored as already stale (an invalid max-age counts as 0), which needs a validator, so not stored.
        Assert.Equal(lifetime, plan?.Lifetime ?? (lifetime == -2 ? -2 : -1));
    }

    [Theory]
    [InlineData("Cache-Control: no-store")]
    [InlineData("Cache-Control: private")]
    [InlineData("Cache-Control: max-age=60|Set-Cookie: a=b")]
    [InlineData("Cache-Control: max-age=60|Vary: Accept, *")]
    public void WhatMayNotBeSharedIsNotStored(string fields) => Assert.Null(Plan(200, fields, identified: false));

    [Theory]
    [InlineData("Cache-Control: max-age=60", false)]
    [InlineData("Cache-Control: public, max-age=60", true)]
    [InlineData("Cache-Control: s-maxage=60", true)]
    [InlineData("Cache-Control: must-revalidate, max-age=60", true)]
    public void AnIdentifiedCallersResponseIsStoredOnlyWhenItAllowsSharing(string fields, bool stored) =>
        Assert.Equal(stored, Plan(200, fields, identified: true) is not null);

    [Fact]
    public void AHeuristicLifetimeIsATenthOfTheTimeSinceLastModifiedWithoutATtl()
    {
        var plan = StorageRules.Plan(
            new CacheSettings("c", new CacheConfig()), 200, Fields("Date: Fri, 15 Jan 2027 08:00:00 GMT|Last-Modified: Fri, 15 Jan 2027 07:00:00 GMT"),
            VaryValues.Nothing, identified: false, Now, Now);

        Assert.Equal(360, plan!.Lifetime);
    }

    [Fact]
    public void TheAgeCountsTheUpstreamsAgeAndTheTimeInTransit()
    {
        var plan = StorageRules.Plan(new CacheSettings("c", new CacheConfig { Ttl = "1m" }), 200, Fields("Age: 7"), VaryValues.Nothing, identified: false, Now - 2, Now);

        Assert.Equal(9, plan!.InitialAge);
    }

    [Fact]
    public void TheUpstreamsStaleDirectivesWinOverTheCaches()
    {
        var settings = new CacheSettings("c", new CacheConfig { Ttl = "1m", StaleWhileRevalidate = "10s", StaleIfError = "5m" });

        var own = StorageRules.Plan(settings, 200, Fields("Cache-Control: max-age=1, stale-while-revalidate=3, stale-if-error=4"), VaryValues.Nothing, false, Now, Now);
        var configured = StorageRules.Plan(settings, 200, Fields("Cache-Control: max-age=1"), VaryValues.Nothing, false, Now, Now);
        var strict = StorageRules.Plan(settings, 200, Fields("Cache-Control: max-age=1, must-revalidate"), VaryValues.Nothing, false, Now, Now);

        Assert.Equal((3.0, 4.0), (own!.StaleWhileRevalidate, own.StaleIfError));
        Assert.Equal((10.0, 300.0), (configured!.StaleWhileRevalidate, configured.StaleIfError));
        Assert.True(strict!.MustRevalidate);
    }

    private static StoragePlan? Plan(int status, string fields, bool identified)
    {
        var list = Fields(fields);
        return StorageRules.Plan(new CacheSettings("c", new CacheConfig { Ttl = "45s" }), status, list, VaryValues.NamesOf(list) is null ? null : VaryValues.Nothing, identified, Now, Now);
    }

    private static FieldList Fields(string fields)
    {
        var list = new FieldList();
        foreach (var field in fields.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = field.IndexOf(':');
            list.Add(Encoding.ASCII.GetBytes(field[..colon]), Encoding.ASCII.GetBytes(field[(colon + 1)..].Trim()));
        }

        return list;
    }
}
