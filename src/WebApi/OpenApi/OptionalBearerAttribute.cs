namespace StudyGuru.WebApi.OpenApi;

/// <summary>
/// An anonymous endpoint that also honours a bearer token (media downloads: the owner's token or a signed
/// URL). Documented as <c>security: [{Bearer: []}, {}]</c>: either the token or nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OptionalBearerAttribute : Attribute;
