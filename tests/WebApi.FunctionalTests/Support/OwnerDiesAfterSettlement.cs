using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>
/// Wraps the real generation repository of an instance whose process dies right after a settlement committed:
/// whatever the owner would write about the generation afterwards (its terminal event, stored on its own)
/// never reaches the database. Every other call reaches the real repository.
/// </summary>
public class OwnerDiesAfterSettlement : DispatchProxy
{
    private object _inner = null!;

    public static void Decorate(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IGenerationRepository));
        services.Remove(original);
        services.Add(new ServiceDescriptor(typeof(IGenerationRepository), sp =>
        {
            var inner = ActivatorUtilities.CreateInstance(sp, original.ImplementationType!);
            var proxy = Create<IGenerationRepository, OwnerDiesAfterSettlement>();
            ((OwnerDiesAfterSettlement)(object)proxy)._inner = inner;
            return proxy;
        }, original.Lifetime));
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IGenerationRepository.RecordTerminalEventAsync)) return Task.CompletedTask;
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }
}
