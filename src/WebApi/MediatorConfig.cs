using Mediator;
using StudyGuru.Application.Common.Behaviors;

namespace StudyGuru.WebApi;

/// <summary>
/// The mediator is source-generated here, in the outermost project. Scoped, because handlers use the
/// scoped DbContext. The first behaviour listed is the outermost.
/// </summary>
public static class MediatorConfig
{
    public static IServiceCollection AddStudyGuruMediator(this IServiceCollection services) =>
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(StudyGuru.Application.DependencyInjection)];
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
            options.StreamPipelineBehaviors = [typeof(StreamValidationBehavior<,>)];
        });
}
