using System.Text;
using Gateway.Core.Proxy;

namespace Gateway.Core.Tests.Proxy;

/// <summary>The gRPC facts the gateway reads: a <c>grpc-timeout</c> value as a time, and the gRPC status of each of its own errors.</summary>
public sealed class GrpcRequestTests
{
    [Theory]
    [InlineData("100m", 1_000_000)]
    [InlineData("5S", 50_000_000)]
    [InlineData("1H", 36_000_000_000)]
    [InlineData("2M", 1_200_000_000)]
    [InlineData("250u", 2_500)]
    [InlineData("1000n", 10)]
    [InlineData("99999999S", 999_999_990_000_000)]
    public void GrpcTimeoutIsReadWithItsUnit(string value, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), GrpcRequest.Parse(Encoding.ASCII.GetBytes(value)));

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("100")]
    [InlineData("100x")]
    [InlineData("123456789S")]
    [InlineData("-5S")]
    [InlineData("+5S")]
    [InlineData("1.5S")]
    [InlineData("5 S")]
    public void AMalformedGrpcTimeoutIsIgnored(string value) => Assert.Null(GrpcRequest.Parse(Encoding.ASCII.GetBytes(value)));

    [Theory]
    [InlineData(429, 8)]
    [InlineData(504, 4)]
    [InlineData(502, 14)]
    [InlineData(503, 14)]
    [InlineData(401, 16)]
    [InlineData(403, 7)]
    [InlineData(404, 12)]
    [InlineData(400, 13)]
    [InlineData(418, 2)]
    public void TheGatewaysErrorsHaveTheirGrpcStatus(int status, int grpc) => Assert.Equal(grpc, GrpcProblem.StatusFor(status));
}
