using System.Net;
using System.Text.Json;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>Talks to the admin listener over raw sockets: the configuration status, reloads, clusters, routes, explanations, metrics and any other request.</summary>
internal sealed class AdminClient(IPEndPoint endPoint)
{
    /// <summary>GET /config, parsed.</summary>
    public async Task<JsonElement> ConfigAsync()
    {
        var response = await SendAsync("GET /config HTTP/1.1\r\nHost: admin\r\n\r\n");
        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        return JsonDocument.Parse(response.Body).RootElement;
    }

    /// <summary>GET /clusters, parsed.</summary>
    public async Task<JsonElement> ClustersAsync()
    {
        var response = await SendAsync("GET /clusters HTTP/1.1\r\nHost: admin\r\n\r\n");
        Assert.Equal(200, response.Status);
        return JsonDocument.Parse(response.Body).RootElement;
    }

    /// <summary>The entry of the destination at <paramref name="url"/> in cluster <paramref name="cluster"/> of GET /clusters.</summary>
    public async Task<JsonElement> DestinationAsync(string cluster, string url) =>
        (await ClustersAsync()).GetProperty(cluster).GetProperty("destinations").EnumerateArray().Single(d => d.GetProperty("url").GetString() == url);

    /// <summary>POST /config/reload.</summary>
    public Task<RawResponse> ReloadAsync() => SendAsync("POST /config/reload HTTP/1.1\r\nHost: admin\r\nContent-Length: 0\r\n\r\n");

    /// <summary>GET /metrics as text.</summary>
    public async Task<string> MetricsAsync() => (await SendAsync("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n")).BodyText;

    /// <summary>GET <paramref name="target"/>, with <paramref name="token"/> as its bearer token when given.</summary>
    public Task<RawResponse> GetAsync(string target, string? token = null) =>
        SendAsync($"GET {target} HTTP/1.1\r\nHost: admin\r\n{(token is null ? "" : $"Authorization: Bearer {token}\r\n")}\r\n");

    /// <summary>GET <paramref name="target"/>, which must answer 200 in JSON, parsed.</summary>
    public async Task<JsonElement> GetJsonAsync(string target)
    {
        var response = await GetAsync(target);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        return JsonDocument.Parse(response.Body).RootElement;
    }

    /// <summary>Sends <paramref name="request"/> as it is on a new connection and reads the answer.</summary>
    public async Task<RawResponse> SendAsync(string request)
    {
        await using var connection = await RawConnection.OpenAsync(endPoint);
        await connection.SendAsync(request);
        return await connection.ReadResponseAsync();
    }
}
