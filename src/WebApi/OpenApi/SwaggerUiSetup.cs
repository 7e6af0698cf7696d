namespace StudyGuru.WebApi.OpenApi;

/// <summary>
/// Swagger UI at /swagger/index.html over the built-in document. On by default in Development; elsewhere only
/// with <c>Swagger:Enabled=true</c>, so production does not advertise its surface unless asked to.
/// </summary>
public static class SwaggerUiSetup
{
    public static WebApplication UseStudyGuruSwaggerUi(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Swagger:Enabled", app.Environment.IsDevelopment())) return app;
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "StudyGuru API";
            options.SwaggerEndpoint(OpenApiSetup.DocumentPath, "StudyGuru API v1");
            // Keeps the token from "Authorize" across reloads of the page while exploring.
            options.EnablePersistAuthorization();
            options.DisplayOperationId();
        });
        return app;
    }
}
