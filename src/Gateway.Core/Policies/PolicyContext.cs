using Gateway.Core.Http;

namespace Gateway.Core.Policies;

/// <summary>What a policy may look at and add to for the current request. One per connection, refilled per request.</summary>
public sealed class PolicyContext(string clientAddress, ResponseFields responseFields)
{
    /// <summary>The parsed request head.</summary>
    public RequestHead Head { get; private set; } = null!;

    /// <summary>The matched route's id.</summary>
    public string RouteId { get; private set; } = "";

    /// <summary>The client's IP address.</summary>
    public string ClientAddress { get; } = clientAddress;

    /// <summary>Header lines to add to the response, whatever it turns out to be.</summary>
    public ResponseFields ResponseFields { get; } = responseFields;

    /// <summary>Points the context at a new request.</summary>
    public void Reset(RequestHead head, string routeId)
    {
        Head = head;
        RouteId = routeId;
    }
}
