using Microsoft.Extensions.FileProviders;

namespace StudyGuru.WebApi.Playground;

/// <summary>
/// The playground page (plain HTML/JS from wwwroot/playground, no build step) at /playground. On by default in
/// Development; elsewhere only with <c>Playground:Enabled=true</c>.
/// </summary>
public static class PlaygroundSetup
{
    public const string RequestPath = "/playground";

    public static WebApplication UseStudyGuruPlayground(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Playground:Enabled", app.Environment.IsDevelopment())) return app;
        var folder = Path.Combine(app.Environment.WebRootPath ?? Path.Combine(app.Environment.ContentRootPath, "wwwroot"), "playground");
        if (!Directory.Exists(folder)) return app;

        var files = new PhysicalFileProvider(folder);
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = RequestPath, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = RequestPath,
            FileProvider = files,
            // A page under development: always fetch the current script.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
