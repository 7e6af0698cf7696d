using System.Net;
using Microsoft.AspNetCore.Http;
using StudyGuru.WebApi.Limits;

namespace StudyGuru.WebApi.FunctionalTests.Hostile;

/// <summary>The per-IP sign-in budget keys IPv6 clients by their /64: one subscriber gets a /64 and can rotate through it.</summary>
public sealed class ClientAddressTests
{
    [Test]
    public void KeyOf_TwoAddressesOfOneIpv6Slash64_ShareOneKey()
    {
        Assert.That(KeyOf("2001:db8:1234:5678::1"), Is.EqualTo(KeyOf("2001:db8:1234:5678:ffff:eeee:dddd:cccc")));
    }

    [Test]
    public void KeyOf_NeighbouringIpv6Slash64s_HaveDifferentKeys()
    {
        Assert.That(KeyOf("2001:db8:1234:5678::1"), Is.Not.EqualTo(KeyOf("2001:db8:1234:5679::1")));
    }

    [Test]
    public void KeyOf_Ipv4_IsTheWholeAddress_MappedOrNot()
    {
        Assert.That(KeyOf("192.0.2.7"), Is.EqualTo("192.0.2.7"));
        Assert.That(KeyOf("::ffff:192.0.2.7"), Is.EqualTo("192.0.2.7"));
        Assert.That(KeyOf("192.0.2.8"), Is.Not.EqualTo(KeyOf("192.0.2.7")));
    }

    private static string KeyOf(string address)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return ClientAddress.KeyOf(http);
    }
}
