using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StudyGuru.TestSupport;

/// <summary>
/// What the real servers the tests start as child processes (redis-server, nginx, Prometheus, the API itself) have
/// in common: a free loopback port, and a start that fails with how to install the server when it is missing
/// (tests never skip silently for want of a server).
/// </summary>
public static class LocalServers
{
    /// <summary>A loopback port that is free when asked.</summary>
    /// <remarks>The server takes it a moment later; a rare clash shows up as that server's own start failure.</remarks>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="process"/>, or fails saying how to install <paramref name="aptPackage"/>.</summary>
    /// <param name="server">What the tests need, for the message ("a real nginx").</param>
    /// <param name="executableVariable">The environment variable that names another executable.</param>
    public static void StartRequired(Process process, string server, string aptPackage, string executableVariable)
    {
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            var executable = process.StartInfo.FileName;
            process.Dispose();
            throw new InvalidOperationException(
                $"Cannot start '{executable}': {exception.Message}. These tests need {server}: install it with " +
                $"`apt-get install -y {aptPackage}` (scripts/test.sh does), or set {executableVariable} to the {aptPackage} executable.",
                exception);
        }
    }
}
