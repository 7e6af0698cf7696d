namespace StudyGuru.Cli;

/// <summary>Command line: <c>[--base-url URL] [--token T | --register] [health|simple|full|errors|all] [message]</c>.</summary>
public sealed record CliOptions(Uri BaseUrl, string? Token, bool Register, string Command, string Message)
{
    public const string Usage = """
        usage: studyguru [--base-url URL] [--token TOKEN | --register] [health|simple|full|errors|all] [message]
          --base-url   server address (default http://localhost:8000, or STUDYGURU_BASE_URL)
          --token      a bearer token (or STUDYGURU_TOKEN)
          --register   sign up a throwaway account and use its token
          command      health, simple, full, errors, or all (default)
        """;

    private static readonly string[] Commands = ["health", "simple", "full", "errors", "all"];

    public static CliOptions Parse(string[] args)
    {
        var baseUrl = Environment.GetEnvironmentVariable("STUDYGURU_BASE_URL") ?? "http://localhost:8000";
        var token = Environment.GetEnvironmentVariable("STUDYGURU_TOKEN");
        var register = false;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--base-url": baseUrl = Value(args, ref i); break;
                case "--token": token = Value(args, ref i); break;
                case "--register": register = true; break;
                case "-h" or "--help": throw new ArgumentException(Usage);
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unknown option {args[i]}\n{Usage}");
                    positional.Add(args[i]);
                    break;
            }
        }
        var command = positional.Count > 0 ? positional[0] : "all";
        if (!Commands.Contains(command)) throw new ArgumentException($"unknown command {command}\n{Usage}");
        if (!Uri.TryCreate(baseUrl.TrimEnd('/'), UriKind.Absolute, out var uri)) throw new ArgumentException($"bad --base-url {baseUrl}");
        var message = positional.Count > 1 ? string.Join(' ', positional.Skip(1)) : "What is 12*(3+4)?";
        return new CliOptions(uri, token, register, command, message);
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value\n{Usage}");
}
