using Gateway.LoadTests.Load;

namespace Gateway.LoadTests.Scenarios;

/// <summary>
/// A load scenario: what one request looks like, which responses count as success, how load is applied over time,
/// and the gateway routes it needs when the runner starts the gateway itself.
/// </summary>
/// <param name="Name">The name given to <c>--scenario</c>.</param>
/// <param name="Description">One sentence for <c>--list</c> and the reports.</param>
/// <param name="Gateway">The routes (and policies) the scenario needs; a <c>--target</c> gateway must serve the same.</param>
/// <param name="ExpectedStatuses">Statuses that count as success; any other is an error.</param>
/// <param name="CreateRequest">Builds request number n (1-based) against the gateway's base address.</param>
/// <param name="Stages">The load over time, shaped by the command line's duration, rate and users.</param>
internal sealed record Scenario(
    string Name,
    string Description,
    GatewaySetup Gateway,
    IReadOnlySet<int> ExpectedStatuses,
    Func<Uri, long, HttpRequestMessage> CreateRequest,
    Func<LoadProfile, IReadOnlyList<LoadStage>> Stages);
