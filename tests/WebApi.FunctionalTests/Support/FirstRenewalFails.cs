using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>
/// Wraps the real generation repository so that the first lease renewal of the process fails with a
/// database-like error, as one dropped connection would; every other call reaches the real repository.
/// </summary>
public class FirstRenewalFails : DispatchProxy
{
    private static int _failures;
    private object _inner = null!;

    public static int Failures => Volatile.Read(ref _failures);

    public static void Decorate(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IGenerationRepository));
        services.Remove(original);
        services.Add(new ServiceDescriptor(typeof(IGenerationRepository), sp =>
        {
            var inner = ActivatorUtilities.CreateInstance(sp, original.ImplementationType!);
            var proxy = Create<IGenerationRepository, FirstRenewalFails>();
            ((FirstRenewalFails)(object)proxy)._inner = inner;
            return proxy;
        }, original.Lifetime));
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IGenerationRepository.RenewLeaseAsync) && Interlocked.CompareExchange(ref _failures, 1, 0) == 0)
            throw new TimeoutException("The database did not answer in time.");
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
