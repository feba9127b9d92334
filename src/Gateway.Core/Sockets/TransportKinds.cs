namespace Gateway.Core.Sockets;

/// <summary>The transport each setting falls back to.</summary>
public static class TransportKinds
{
    /// <summary>Epoll on Linux, .NET's sockets elsewhere.</summary>
    public static TransportKind PlatformDefault => OperatingSystem.IsLinux() ? TransportKind.Epoll : TransportKind.Sockets;
}
