using System.Text.RegularExpressions;
using Gateway.Host.Tests.Infrastructure;

namespace Gateway.Host.Tests.Docs;

/// <summary>
/// <c>GET /docs</c> rendered by a real headless Chromium (Debian's <c>chromium</c>, which .ci/run installs): every operation of
/// every frontend's document, the merged upstream operations among them, and the diagram are in the rendered DOM, and the
/// page's own script ran. Skipped, saying so, where chromium is not installed.
/// </summary>
public sealed partial class DocsPageTests(DocsGateway docs) : IClassFixture<DocsGateway>
{
    [SkippableFact]
    public async Task ChromiumShowsEveryOperationAndTheDiagram()
    {
        var chromium = Chromium.Find();
        Skip.If(chromium is null, "chromium is not installed (apt-get install chromium; .ci/run installs it)");

        var dom = await Chromium.DumpDomAsync(chromium, $"http://{docs.Gateway.AdminEndPoint}/docs");

        var operations = Operation().Matches(dom).Select(match => $"{match.Groups[1].Value} {match.Groups[2].Value}").ToList();
        Assert.Contains("get /users/{id}", operations);
        Assert.Contains("delete /users/{id}", operations);
        Assert.Contains("post /store/items", operations);
        Assert.Contains("get /shop/item/{id}", operations);
        Assert.Contains("get /dashboard/{userId}", operations);
        Assert.Contains("get /profile/{id}", operations);
        Assert.Equal(18, operations.Count);
        Assert.Contains($"{operations.Count} of {operations.Count} operations", dom, StringComparison.Ordinal);
        Assert.Contains("One item", dom, StringComparison.Ordinal);
        Assert.Contains("x-rate-limit", dom, StringComparison.Ordinal);
        Assert.Contains("<svg", dom, StringComparison.Ordinal);
        Assert.Contains(">cluster store</text>", dom, StringComparison.Ordinal);
    }

    [GeneratedRegex("""<span class="method (\w+)">\w+</span><span class="path">([^<]+)</span>""")]
    private static partial Regex Operation();
}
