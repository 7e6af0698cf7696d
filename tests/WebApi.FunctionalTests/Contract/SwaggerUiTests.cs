using System.Net;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Contract;

public sealed class SwaggerUiTests
{
    [Test]
    public async Task SwaggerUi_Development_ServesThePagePointedAtTheDocument()
    {
        using var factory = new StudyGuruApiFactory();
        using var client = factory.CreateClient();

        var page = await client.GetAsync("/swagger/index.html");
        var config = await client.GetStringAsync("/swagger/index.js");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("swagger-ui"));
        Assert.That(config, Does.Contain("/openapi/v1.json"));
    }

    [Test]
    public async Task SwaggerUiAndPlayground_Production_AreOffUnlessEnabled()
    {
        using var off = new StudyGuruApiFactory(ProductionSettings());
        using var offClient = off.WithWebHostBuilder(b => b.UseSetting("environment", "Production")).CreateClient();
        Assert.That((await offClient.GetAsync("/swagger/index.html")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await offClient.GetAsync("/playground/index.html")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var enabled = ProductionSettings();
        enabled["Swagger:Enabled"] = "true";
        enabled["Playground:Enabled"] = "true";
        using var on = new StudyGuruApiFactory(enabled);
        using var onClient = on.WithWebHostBuilder(b => b.UseSetting("environment", "Production")).CreateClient();
        Assert.That((await onClient.GetAsync("/swagger/index.html")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await onClient.GetAsync("/playground/index.html")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static Dictionary<string, string?> ProductionSettings() => new() { ["Health:ShowDetails"] = "false" };
}
