namespace StudyGuru.WebApi.AiSdk;

/// <summary>
/// Marks an endpoint whose JSON body may carry images inline (as base64 <c>data:</c> URLs): its body limit is
/// <c>Limits:MaxJsonBodyBytes</c> plus room for the most images a message may have, each at <c>Media:MaxBytes</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InlineImagesBodyAttribute : Attribute
{
    public static long LimitFor(long maxJsonBodyBytes, long maxMediaBytes, int maxImages) =>
        maxJsonBodyBytes + maxImages * ((maxMediaBytes + 2) / 3 * 4 + 100);
}
