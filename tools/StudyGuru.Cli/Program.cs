using StudyGuru.Cli;

CliOptions options;
try
{
    options = CliOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
using var http = new HttpClient { BaseAddress = options.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
var client = new StudyGuruClient(http) { Token = options.Token };
var checks = new Checks(client, Console.Out);

try
{
    if (options.Register) client.Token = await client.RegisterThrowawayAsync(cancel.Token);
    if (client.Token is null && options.Command != "health")
    {
        Console.Error.WriteLine("A token is needed: pass --token, set STUDYGURU_TOKEN, or use --register.");
        return 2;
    }

    var passed = options.Command switch
    {
        "health" => await checks.HealthAsync(cancel.Token),
        "simple" => await checks.SimpleStreamAsync(options.Message, cancel.Token),
        "full" => await checks.FullStreamAsync(options.Message, cancel.Token),
        "errors" => await checks.ErrorCasesAsync(cancel.Token),
        _ => await checks.HealthAsync(cancel.Token)
            & await checks.SimpleStreamAsync(options.Message, cancel.Token)
            & await checks.FullStreamAsync("Explain how rainbows form", cancel.Token)
            & await checks.ErrorCasesAsync(cancel.Token),
    };
    Console.WriteLine(passed ? "all checks passed" : "some checks FAILED");
    return passed ? 0 : 1;
}
catch (HttpRequestException exception)
{
    Console.Error.WriteLine($"cannot reach {options.BaseUrl}: {exception.Message}");
    return 3;
}
