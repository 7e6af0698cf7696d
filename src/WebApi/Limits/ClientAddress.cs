namespace StudyGuru.WebApi.Limits;

/// <summary>
/// The key of the client for per-IP limits: the connection's remote address, which the forwarded-headers
/// middleware has already replaced by the <c>X-Forwarded-For</c> address when, and only when, the direct
/// peer is one of <c>ForwardedHeaders:KnownProxies</c>. An IPv6 client is keyed by its /64: that is what one
/// subscriber is given, and a client that rotates through it must still meet one budget.
/// </summary>
public static class ClientAddress
{
    /// <summary>
    /// The key when the connection has no remote address (in-process test servers, some hosting
    /// transports): such clients share one budget rather than escaping the limit.
    /// </summary>
    public const string UnknownKey = "unknown";

    public static string KeyOf(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return UnknownKey;
        }

        // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; one client must have one key.
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new System.Net.IPAddress(bytes).ToString() + "/64";
    }
}
