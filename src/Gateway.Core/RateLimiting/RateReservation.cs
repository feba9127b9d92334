namespace Gateway.Core.RateLimiting;

/// <summary>
/// What a bucket gave: <paramref name="Granted"/> permits (0 when fewer than asked for were available), the
/// <paramref name="Remaining"/> permits after it, the time until the bucket is full again, and, when nothing was
/// granted, the time until the request could be granted.
/// </summary>
public readonly record struct RateReservation(long Granted, long Remaining, TimeSpan ResetAfter, TimeSpan RetryAfter);
