using System.Net;
using System.Net.Sockets;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai;

internal static class FreePorts
{
    /// <summary>A loopback port that was just free and is closed now: connecting to it is refused.</summary>
    public static int OneThatIsClosed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
