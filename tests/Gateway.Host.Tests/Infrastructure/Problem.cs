using System.Text.Json;

namespace Gateway.Host.Tests.Infrastructure;

/// <summary>Checks that a response is one of the gateway's own RFC 9457 problem responses.</summary>
internal static class Problem
{
    /// <summary>
    /// Asserts status, <c>application/problem+json</c>, an <c>X-Request-Id</c> (every answer carries one, a refusal of a
    /// malformed request included) and a JSON body whose <c>status</c> matches and whose <c>detail</c> says something; returns the detail.
    /// </summary>
    public static string AssertIs(int status, RawResponse response)
    {
        Assert.False(string.IsNullOrEmpty(response.Header("X-Request-Id")), $"the {status} carries no X-Request-Id");
        return AssertBody(status, response);
    }

    /// <summary>Asserts status, <c>application/problem+json</c> and the problem's body (the admin listener's problems carry no request id); returns the detail.</summary>
    public static string AssertBody(int status, RawResponse response)
    {
        Assert.Equal(status, response.Status);
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        var detail = json.RootElement.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), "the problem has no detail");
        return detail!;
    }
}
