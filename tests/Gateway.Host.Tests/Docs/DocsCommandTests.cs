using System.Text.Json;
using Gateway.Host.Commands;
using Gateway.Host.Tests.Infrastructure;
using Microsoft.OpenApi;

namespace Gateway.Host.Tests.Docs;

/// <summary><c>gateway docs --config FILE --out DIR</c>: its arguments, the files it writes (with a real upstream's document merged in), and its exit codes.</summary>
public sealed class DocsCommandTests
{
    [Theory]
    [InlineData(new[] { "docs", "--config", "a.json", "--out", "site" }, "a.json", "site", null)]
    [InlineData(new[] { "docs", "--out=site" }, null, "site", null)]
    [InlineData(new[] { "docs", "--config", "a.json" }, null, null, "docs needs --out DIR")]
    [InlineData(new[] { "docs", "--out" }, null, null, "--out needs a folder path")]
    [InlineData(new[] { "docs", "--out", "--config", "a.json" }, null, null, "--out needs a folder path")]
    [InlineData(new[] { "routes", "--out", "site" }, null, null, "--out is an option of docs only")]
    public void ParsesDocsAndItsFolder(string[] args, string? config, string? output, string? error)
    {
        var parsed = CommandLine.Parse(args);

        Assert.Equal(error, parsed.Error);
        if (error is null)
        {
            Assert.Equal(new CommandLine(Command.Docs, config, null, output), parsed);
        }
    }

    [Fact]
    public async Task WritesEachFrontendsDocumentAndTheDiagramThenExitsZero()
    {
        await using var store = await StoreUpstream.StartAsync();
        using var file = new ConfigFile(DocsConfig.Json(store.Destination));
        using var folder = new TempFolder("docs");
        var output = folder.File("site");
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "docs", "--config", file.Path, "--out", output);

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Equal(
            [$"wrote {output}/openapi.json", $"wrote {output}/openapi-mobile.json", $"wrote {output}/diagram.mmd"],
            gateway.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", gateway.StandardError);
        var (document, diagnostic) = OpenApiDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "openapi.json")), "json");
        Assert.Empty(diagnostic!.Errors);
        Assert.Equal("One item", document!.Paths["/shop/item/{id}"].Operations![HttpMethod.Get].Summary);
        var mobile = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "openapi-mobile.json"))).RootElement;
        Assert.Equal(["/profile/{id}"], mobile.GetProperty("paths").EnumerateObject().Select(path => path.Name));
        Assert.StartsWith("flowchart LR\n", await File.ReadAllTextAsync(Path.Combine(output, "diagram.mmd")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClusterDocumentThatCannotBeFetchedIsAWarningAndJwtIsABearerScheme()
    {
        using var file = new ConfigFile("""
            { "routes": [ { "id": "me", "match": { "path": "/me", "methods": ["GET"] }, "cluster": "gone", "policies": { "authentication": ["tokens"] } } ],
              "clusters": { "gone": { "destinations": ["http://127.0.0.1:1"], "openapi": "/openapi.json" } },
              "authentication": { "tokens": { "jwt": { "issuer": "https://id.example.com/", "audiences": ["api"], "jwksUrl": "https://id.example.com/jwks.json", "algorithms": ["RS256"] } } } }
            """);
        using var folder = new TempFolder("docs");
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "docs", "--config", file.Path, "--out", folder.Path);

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Contains("the OpenAPI document of cluster gone at http://127.0.0.1:1/openapi.json could not be read", gateway.StandardError, StringComparison.Ordinal);
        var (document, diagnostic) = OpenApiDocument.Parse(await File.ReadAllTextAsync(folder.File("openapi.json")), "json");
        Assert.Empty(diagnostic!.Errors);
        Assert.Equal("Forwarded to cluster gone", document!.Paths["/me"].Operations![HttpMethod.Get].Summary);
        var scheme = document.Components!.SecuritySchemes!["tokens"];
        Assert.Equal((SecuritySchemeType.Http, "bearer", "JWT"), (scheme.Type, scheme.Scheme, scheme.BearerFormat));
    }

    [Fact]
    public async Task AClusterDocumentComesFromTheNextDestinationWhenOneIsDown()
    {
        await using var store = await StoreUpstream.StartAsync();
        using var file = new ConfigFile($$"""
            { "routes": [ { "id": "item", "match": { "path": "/item/{id}", "methods": ["GET"] }, "cluster": "store", "rewrite": { "path": "/items/{id}" } } ],
              "clusters": { "store": { "destinations": ["http://127.0.0.1:1/v1", "{{store.Destination}}"], "openapi": "/openapi.json" } } }
            """);
        using var folder = new TempFolder("docs");
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "docs", "--config", file.Path, "--out", folder.Path);

        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Contains("cluster store at http://127.0.0.1:1/v1/openapi.json could not be read", gateway.StandardError, StringComparison.Ordinal);
        var (document, _) = OpenApiDocument.Parse(await File.ReadAllTextAsync(folder.File("openapi.json")), "json");
        Assert.Equal("One item", document!.Paths["/item/{id}"].Operations![HttpMethod.Get].Summary);
    }

    [Fact]
    public async Task DocsWithoutAFolderExitsTwoNamingItThenTheUsage()
    {
        using var gateway = GatewayProcess.Start(new Dictionary<string, string>(), "docs", "--config", "gateway.json");

        Assert.Equal(2, await gateway.WaitForExitAsync());
        var lines = gateway.StandardError.Split('\n');
        Assert.Equal("gateway: docs needs --out DIR", lines[0]);
        Assert.StartsWith("Usage: gateway", lines[1], StringComparison.Ordinal);
        Assert.Equal("", gateway.StandardOutput);
    }
}
