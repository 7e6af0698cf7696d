using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace StudyGuru.WebApi.Json;

/// <summary>
/// Refuses a request body whose arrays hold a <c>null</c> element (<c>"media_files": [null]</c>): no request
/// field of this API takes one, and code that reads the list would otherwise meet a null it cannot expect.
/// The refusal is a <see cref="JsonException"/>, so model binding turns it into the usual 400 problem; the
/// message names the field, which <see cref="Errors.InvalidModelStateProblems"/> uses as the error's key.
/// </summary>
public static class NullElementGuard
{
    public const string MessagePrefix = "The array '";

    public static void Modify(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        var arrays = typeInfo.Properties.Where(p => IsArrayOfNullables(p.PropertyType) && p.Get is not null).ToList();
        if (arrays.Count == 0) return;
        var previous = typeInfo.OnDeserialized;
        typeInfo.OnDeserialized = value =>
        {
            previous?.Invoke(value);
            foreach (var property in arrays)
            {
                if (property.Get!(value) is not IEnumerable items) continue;
                var index = 0;
                foreach (var item in items)
                {
                    if (item is null)
                        throw new JsonException($"{MessagePrefix}{property.Name}' has a null element at index {index}; remove it or send an object.");
                    index++;
                }
            }
        };
    }

    private static bool IsArrayOfNullables(Type type)
    {
        if (type == typeof(string) || typeof(IDictionary).IsAssignableFrom(type) || !typeof(IEnumerable).IsAssignableFrom(type)) return false;
        var element = type.IsArray
            ? type.GetElementType()
            : type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return element is null || !element.IsValueType || Nullable.GetUnderlyingType(element) is not null;
    }
}
