namespace Gateway.Core.Docs;

/// <summary>What a diagram node stands for; the first five are the diagram's columns, left to right, a direct response sharing the clusters'.</summary>
public enum DiagramKind
{
    /// <summary>A frontend (the default one or a named one).</summary>
    Frontend,

    /// <summary>A route with its methods and path template.</summary>
    Route,

    /// <summary>A route's steps, in the order they run.</summary>
    Steps,

    /// <summary>A cluster.</summary>
    Cluster,

    /// <summary>A destination of a cluster.</summary>
    Destination,

    /// <summary>A route's direct response (drawn in the clusters' column).</summary>
    Response,
}

/// <summary>One box of the diagram: an id unique in it, what it stands for, and its text lines.</summary>
/// <param name="Id">The node's id (letters and digits).</param>
/// <param name="Kind">What it stands for.</param>
/// <param name="Lines">Its text, one entry a line.</param>
public sealed record DiagramNode(string Id, DiagramKind Kind, IReadOnlyList<string> Lines)
{
    /// <summary>The column it is drawn in: frontends 0, routes 1, steps 2, clusters and direct responses 3, destinations 4.</summary>
    public int Column => Kind == DiagramKind.Response ? (int)DiagramKind.Cluster : (int)Kind;
}

/// <summary>An arrow between two nodes, with an optional label (an aggregate part's name).</summary>
/// <param name="From">The id of the node it starts at.</param>
/// <param name="To">The id of the node it points to.</param>
/// <param name="Label">Its label, or null.</param>
public sealed record DiagramEdge(string From, string To, string? Label = null);
