using Gateway.Core.Configuration;
using Gateway.Core.Snapshots;
using Gateway.Core.Upstreams;

namespace Gateway.Core.Tests.Configuration;

/// <summary>An aggregate is checked at load: its parts, their clusters, names and settings, and their templates and dependencies.</summary>
public sealed class AggregateConfigTests
{
    [Fact]
    public void AnAggregateWithPartsIsARouteHandler()
    {
        var config = ConfigLoader.Parse(Config("""{ "merge": "top", "timeout": "2s", "parts": { "user": { "cluster": "svc", "path": "/users/{id}", "optional": true, "fields": ["name"] } } }"""), "test.json");

        Assert.Equal(AggregateMerge.Top, config.Routes[0].Aggregate!.Merge);
        Assert.True(config.Routes[0].Aggregate!.Parts["user"].Optional);
    }

    [Theory]
    [InlineData("""{ "parts": {} }""", "$.routes[0].aggregate.parts", "at least one part")]
    [InlineData("""{ "parts": { "user": { "cluster": "nope", "path": "/u" } } }""", "$.routes[0].aggregate.parts.user.cluster", "unknown cluster \"nope\"")]
    [InlineData("""{ "parts": { "errors": { "cluster": "svc", "path": "/u" } } }""", "$.routes[0].aggregate.parts.errors", "not \"query\" or \"errors\"")]
    [InlineData("""{ "parts": { "user": { "cluster": "svc", "path": "u" } } }""", "$.routes[0].aggregate.parts.user.path", "starts with '/'")]
    [InlineData("""{ "parts": { "user": { "cluster": "svc", "path": "/u", "headers": ["Host"] } } }""", "$.routes[0].aggregate.parts.user.headers[0]", "the gateway owns")]
    [InlineData("""{ "parts": { "user": { "cluster": "svc", "path": "/u", "maxBytes": 0 } } }""", "$.routes[0].aggregate.parts.user.maxBytes", "above zero")]
    [InlineData("""{ "timeout": "soon", "parts": { "user": { "cluster": "svc", "path": "/u" } } }""", "$.routes[0].aggregate.timeout", "expected a duration")]
    [InlineData("""{ "parts": { "user": { "cluster": "svc", "path": "/u", "method": "POST", "retry": { "attempts": 2 } } } }""", "$.routes[0].aggregate.parts.user.retry", "only an idempotent method")]
    [InlineData("""{ "parts": { "user": { "cluster": "svc", "path": "/u", "retry": { "attempts": 20 } } } }""", "$.routes[0].aggregate.parts.user.retry.attempts", "between 2 and 10")]
    public void ABrokenAggregateIsRefused(string aggregate, string path, string reason) => ConfigAssert.ParseFails(Config(aggregate), path, reason);

    [Fact]
    public void ForwardingSettingsBesideAnAggregateAreRefused() =>
        ConfigAssert.ParseFails(Config("""{ "parts": { "user": { "cluster": "svc", "path": "/u" } } }""", extra: "\"retry\": { \"attempts\": 2 },"), "$.routes[0].retry", "an aggregate sets its parts' own");

    [Fact]
    public void ARouteHasOneHandler() =>
        ConfigAssert.ParseFails(Config("""{ "parts": { "user": { "cluster": "svc", "path": "/u" } } }""", extra: "\"cluster\": \"svc\","), "$.routes[0]", "not several");

    [Theory]
    [InlineData("""{ "a": { "cluster": "svc", "path": "/a/{nope}" } }""", "$.routes[0].aggregate.parts.a.path", "neither a route parameter")]
    [InlineData("""{ "a": { "cluster": "svc", "path": "/a/{b.id}" } }""", "$.routes[0].aggregate.parts.a.path", "names no part")]
    [InlineData("""{ "a": { "cluster": "svc", "path": "/a/{b}" }, "b": { "cluster": "svc", "path": "/b" } }""", "$.routes[0].aggregate.parts.a.path", "names a part")]
    [InlineData("""{ "a": { "cluster": "svc", "path": "/a/{b.id}" }, "b": { "cluster": "svc", "path": "/b/{a.id}" } }""", "$.routes[0].aggregate.parts", "\"a\", \"b\" wait for each other's fields in a cycle")]
    [InlineData("""{ "a": { "cluster": "svc", "path": "/a/{a.id}" } }""", "$.routes[0].aggregate.parts", "in a cycle")]
    [InlineData("""{ "a": { "cluster": "svc", "path": "/a#top" } }""", "$.routes[0].aggregate.parts.a.path", "no spaces, '#'")]
    public void ATemplateNamingNothingOrACycleIsRefusedAtCompile(string parts, string path, string reason)
    {
        var config = ConfigLoader.Parse(Config($$"""{ "parts": {{parts}} }"""), "test.json");

        ConfigAssert.Fails(() => SnapshotCompiler.Compile(config, new UpstreamSettings(), "test.json").Dispose(), path, reason);
    }

    private static string Config(string aggregate, string extra = "") => $$"""
        {
          "routes": [ { "id": "agg", {{extra}} "match": { "path": "/agg/{id}" }, "aggregate": {{aggregate}} } ],
          "clusters": { "svc": { "destinations": ["http://127.0.0.1:9"] } }
        }
        """;
}
