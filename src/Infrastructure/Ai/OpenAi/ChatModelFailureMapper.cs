using System.ClientModel;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.SemanticKernel;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Ai.OpenAi;

/// <summary>
/// Maps what the OpenAI connector throws to <see cref="ChatModelException"/> codes (docs/streaming-api.md, "Outcomes and points").
/// Observed with Semantic Kernel 1.82 / OpenAI 2.10 on a streaming call:
/// <list type="bullet">
/// <item>HTTP error status: <see cref="ClientResultException"/> with <c>Status</c> (not wrapped; non-streaming
/// calls wrap it in <see cref="HttpOperationException"/> with <c>StatusCode</c>).</item>
/// <item>Connection refused: <see cref="ClientResultException"/> (Status 0) → <see cref="HttpRequestException"/>
/// (<see cref="HttpRequestError.ConnectionError"/>) → <see cref="SocketException"/> (ConnectionRefused).</item>
/// <item>Connection reset: the same chain with <see cref="HttpRequestError.Unknown"/> and ConnectionReset, or an
/// <see cref="IOException"/> while the body is read.</item>
/// <item>Malformed SSE data: a <see cref="JsonException"/>.</item>
/// </list>
/// </summary>
internal static class ChatModelFailureMapper
{
    public static ChatModelException Map(Exception exception)
    {
        if (FindStatus(exception) is { } status)
        {
            var code = IsUnavailableStatus(status) ? ChatModelErrorCodes.ModelUnavailable : ChatModelErrorCodes.ModelError;
            return new ChatModelException(code, $"The model provider answered HTTP {status}.", exception);
        }

        if (IsUnreachable(exception))
        {
            return new ChatModelException(ChatModelErrorCodes.ModelUnavailable, "The model provider could not be reached.", exception);
        }

        return Chain(exception).Any(e => e is IOException or JsonException or HttpRequestException)
            ? new ChatModelException(ChatModelErrorCodes.ModelError, "The model's answer stream broke before it ended.", exception)
            : new ChatModelException(ChatModelErrorCodes.ModelError, "The model failed to answer.", exception);
    }

    /// <summary>The provider's HTTP status, if it answered with one.</summary>
    internal static int? FindStatus(Exception exception)
    {
        foreach (var e in Chain(exception))
        {
            switch (e)
            {
                case HttpOperationException { StatusCode: { } statusCode }:
                    return (int)statusCode;
                case ClientResultException { Status: > 0 } clientResult:
                    return clientResult.Status;
                case HttpRequestException { StatusCode: { } requestStatus }:
                    return (int)requestStatus;
            }
        }

        return null;
    }

    /// <summary>429 and the gateway errors are worth retrying later; every other status is the request's or the provider's fault.</summary>
    private static bool IsUnavailableStatus(int status) => status is 429 or 502 or 503 or 504;

    /// <summary>No connection could be made at all (refused, DNS, no route); a reset of an open connection is not this.</summary>
    private static bool IsUnreachable(Exception exception) => Chain(exception).Any(e => e switch
    {
        HttpRequestException request => request.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
        SocketException socket => socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound
            or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown
            or SocketError.TryAgain or SocketError.NoData or SocketError.HostDown,
        _ => false,
    });

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }

                yield break;
            }
        }
    }
}
